/// A vector primitive with a hand-written backward pass, recorded as one tape node.
///
/// This is the hook the schedule functionals use (e.g. Luo et al. 2025's
/// `lr_decay_sum(C, beta, gamma)`, a matrix over evaluation points x schedule change points
/// reduced with gemv): the operation computes its whole output in `forward` and, given the
/// output's adjoint, adds its vector-Jacobian product to the adjoints of its inputs in `backward`.
///
/// Operations are values: a tape copied for another chain copies them too, so any scratch
/// buffers they keep are per copy (arrays are copy-on-write). `forward` runs before `backward`
/// on the same parameter values, so `backward` may reuse what `forward` cached.
public protocol CustomVectorOperation: Sendable {
    /// A short name, used in gradient-check reports and error messages.
    var name: String { get }
    /// The number of output elements, given the element counts of the inputs; 1 with
    /// `outputIsScalar` true makes a scalar node.
    func outputCount(inputCounts: [Int]) -> Int
    /// Whether the output is a scalar node (it then broadcasts like any scalar).
    var outputIsScalar: Bool { get }
    /// Writes the output from the inputs.
    mutating func forward(_ io: CustomOperationIO)
    /// Adds d(output)/d(input_i)' * outputAdjoint to every input adjoint that is present
    /// (`io.inputAdjoint(i)` is nil for inputs that need no gradient). Always accumulate (+=).
    mutating func backward(_ io: CustomOperationIO)
}

extension CustomVectorOperation {
    public var outputIsScalar: Bool { false }
}

/// The buffers a custom operation reads and writes during one pass (no allocation).
public struct CustomOperationIO {
    let values: UnsafeMutablePointer<Double>
    let adjoints: UnsafeMutablePointer<Double>
    let nodes: UnsafePointer<Node>
    let inputIndices: UnsafeBufferPointer<Int>
    let outputNode: Int
    let withAdjoints: Bool

    /// The number of inputs.
    public var inputCount: Int { inputIndices.count }

    /// The values of input `i`.
    public func input(_ i: Int) -> UnsafeBufferPointer<Double> {
        let n = nodes[inputIndices[i]]
        return UnsafeBufferPointer(start: values + n.offset, count: n.count)
    }

    /// The adjoint of input `i`, or nil when that input needs no gradient (data) or during a
    /// forward-only pass.
    public func inputAdjoint(_ i: Int) -> UnsafeMutableBufferPointer<Double>? {
        let n = nodes[inputIndices[i]]
        guard withAdjoints, !n.isConstant, n.reachesOutput else { return nil }
        return UnsafeMutableBufferPointer(start: adjoints + n.offset, count: n.count)
    }

    /// The output values (written by `forward`, read-only in `backward`).
    public var output: UnsafeMutableBufferPointer<Double> {
        let n = nodes[outputNode]
        return UnsafeMutableBufferPointer(start: values + n.offset, count: n.count)
    }

    /// The adjoint of the output (valid in `backward`).
    public var outputAdjoint: UnsafeBufferPointer<Double> {
        let n = nodes[outputNode]
        return UnsafeBufferPointer(start: adjoints + n.offset, count: n.count)
    }
}

/// A recorded computation that is replayed with new parameter values: reverse-mode autodiff.
///
/// A tape is recorded once with a `TapeRecorder` (scalar and vector nodes, one node per
/// operation, broadcasting scalar <-> vector), then `valueAndGradient(at:gradient:)` runs the
/// forward pass over the recorded nodes and the backward pass in reverse order, reusing the
/// same flat value/adjoint storage every time: a replay allocates nothing.
///
/// Nodes that depend on no parameter (data, `log t`, ...) are evaluated once when recorded and
/// skipped by every replay. The backward sweep needs no zeroing: for every node the first
/// contribution to an input's adjoint (in reverse order) assigns, later ones accumulate.
///
/// `Tape` is a value (no global state): copy it to give each sampler chain its own storage.
public struct Tape: Sendable {
    var nodes: [Node]
    var values: [Double]
    var adjoints: [Double]
    var customOperations: [any CustomVectorOperation]
    /// The input nodes of each custom operation, and whether its backward pass makes the first
    /// contribution to each input's adjoint (then that adjoint is zeroed first).
    let customInputs: [[Int]]
    let customAssign: [[Bool]]
    /// The nodes holding parameters, in parameter order (a vector parameter node holds several
    /// consecutive coordinates).
    let parameterNodes: [Int]
    /// The number of parameters (the length of the gradient).
    public let parameterCount: Int
    /// The scalar node whose gradient `valueAndGradient` computes.
    public let output: NodeID
    /// Names given to parameters when recorded (for reports).
    public let parameterNames: [String]
    /// Non-constant nodes in recording order (the forward replay list).
    let forwardOrder: [Int]
    /// Nodes that need a backward rule, in reverse order.
    let backwardOrder: [Int]

    /// The number of recorded nodes.
    public var nodeCount: Int { nodes.count }

    /// Evaluates the output at `parameters` and writes d output / d parameters into `gradient`.
    public mutating func valueAndGradient(at parameters: UnsafeBufferPointer<Double>,
                                          gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        precondition(parameters.count == parameterCount,
                     "Tape: \(parameters.count) parameter values given, the tape has \(parameterCount)")
        precondition(gradient.count == parameterCount,
                     "Tape: gradient buffer has \(gradient.count) elements, the tape has \(parameterCount) parameters")
        let result = run(parameters, withGradient: true)
        adjoints.withUnsafeBufferPointer { g in
            var i = 0
            for node in parameterNodes {
                let n = nodes[node]
                for j in 0..<n.count { gradient[i + j] = n.reachesOutput ? g[n.offset + j] : 0 }
                i += n.count
            }
        }
        return result
    }

    /// Array form of `valueAndGradient(at:gradient:)`.
    public mutating func valueAndGradient(at parameters: [Double], gradient: inout [Double]) -> Double {
        parameters.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { g in valueAndGradient(at: p, gradient: g) }
        }
    }

    /// Evaluates every node at `parameters` (forward pass only) and returns the output.
    @discardableResult
    public mutating func value(at parameters: [Double]) -> Double {
        precondition(parameters.count == parameterCount,
                     "Tape: \(parameters.count) parameter values given, the tape has \(parameterCount)")
        return parameters.withUnsafeBufferPointer { run($0, withGradient: false) }
    }

    /// The current values of a node after the last pass. Only the output's ancestors and the
    /// nodes passed as `keep` to `TapeRecorder.finish` are recomputed by a replay.
    public func values(of node: NodeID) -> ArraySlice<Double> {
        let n = nodes[node.index]
        return values[n.offset ..< n.offset + n.count]
    }

    /// The current value of a scalar node.
    public func scalarValue(of node: NodeID) -> Double { values[nodes[node.index].offset] }

    private mutating func run(_ parameters: UnsafeBufferPointer<Double>, withGradient: Bool) -> Double {
        let outputOffset = nodes[output.index].offset
        return nodes.withUnsafeMutableBufferPointer { nodeBuffer in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                adjoints.withUnsafeMutableBufferPointer { adjointBuffer in
                    let v = valueBuffer.baseAddress!
                    let g = adjointBuffer.baseAddress!
                    let nodes = UnsafePointer(nodeBuffer.baseAddress!)
                    var i = 0
                    for node in parameterNodes {
                        let n = nodeBuffer[node]
                        for j in 0..<n.count { v[n.offset + j] = parameters[i + j] }
                        i += n.count
                    }
                    for index in forwardOrder {
                        let node = nodes[index]
                        if case .custom(let k) = node.operation {
                            customInputs[k].withUnsafeBufferPointer { inputs in
                                customOperations[k].forward(CustomOperationIO(
                                    values: v, adjoints: g, nodes: nodes, inputIndices: inputs,
                                    outputNode: index, withAdjoints: false))
                            }
                        } else {
                            Tape.forward(node, nodes, v)
                        }
                    }
                    guard withGradient else { return v[outputOffset] }
                    g[outputOffset] = 1
                    for index in backwardOrder {
                        let node = nodes[index]
                        if case .custom(let k) = node.operation {
                            for (j, input) in customInputs[k].enumerated() where customAssign[k][j] {
                                let n = nodes[input]
                                (g + n.offset).update(repeating: 0, count: n.count)
                            }
                            customInputs[k].withUnsafeBufferPointer { inputs in
                                customOperations[k].backward(CustomOperationIO(
                                    values: v, adjoints: g, nodes: nodes, inputIndices: inputs,
                                    outputNode: index, withAdjoints: true))
                            }
                        } else {
                            Tape.backward(node, nodes, v, g)
                        }
                    }
                    return v[outputOffset]
                }
            }
        }
    }
}

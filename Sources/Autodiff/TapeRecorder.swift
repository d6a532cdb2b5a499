import LinearAlgebra

/// Records operations into a `Tape`.
///
/// Values are created through the recorder (`parameter`, `constant`, `vector`) and combined with
/// its methods or with the operators on `Variable`. Anything computed only from data is
/// evaluated immediately and stored as data ("constant folding"), so `t ^ (-alpha)` with data
/// `t` costs one fused `exp(-alpha * log t)` pass per replay, with `log t` computed once here.
///
/// The recorder is a reference type so that `Variable` operators can append to it; it is used
/// on one thread while recording, then `finish(output:)` returns the immutable-shape `Tape`.
public final class TapeRecorder {
    var nodes: [Node] = []
    var values: [Double] = []
    var customOperations: [any CustomVectorOperation] = []
    /// The input nodes of each custom operation, by operation index.
    var customInputs: [[Int]] = []
    var parameterNodes: [Int] = []
    var parameterNames: [String] = []
    var parameterCount = 0

    public init() {}

    // MARK: leaves

    /// A new scalar parameter (the next coordinate of the parameter vector).
    public func parameter(_ name: String = "") -> Variable {
        let id = append(.parameter(parameterCount), count: 1, isScalar: true, isConstant: false)
        parameterNodes.append(id)
        parameterNames.append(name.isEmpty ? "p\(parameterCount)" : name)
        parameterCount += 1
        return Variable(id, self)
    }

    /// A vector of `count` parameters (the next `count` coordinates), named `name[1]...`.
    public func parameterVector(_ name: String, count: Int) -> Variable {
        precondition(count >= 0, "TapeRecorder.parameterVector: negative count \(count)")
        let id = append(.parameter(parameterCount), count: count, isScalar: false, isConstant: false)
        parameterNodes.append(id)
        for i in 0..<count { parameterNames.append("\(name)[\(i + 1)]") }
        parameterCount += count
        return Variable(id, self)
    }

    /// A scalar constant.
    public func constant(_ value: Double) -> Variable {
        let id = append(.constant, count: 1, isScalar: true, isConstant: true)
        values[nodes[id].offset] = value
        return Variable(id, self)
    }

    /// A vector of data (may be empty).
    public func vector(_ data: [Double]) -> Variable {
        let id = append(.constant, count: data.count, isScalar: false, isConstant: true)
        let offset = nodes[id].offset
        for (i, x) in data.enumerated() { values[offset + i] = x }
        return Variable(id, self)
    }

    // MARK: operations

    public func add(_ a: Variable, _ b: Variable) -> Variable { binary(.add, a, b) }
    public func subtract(_ a: Variable, _ b: Variable) -> Variable { binary(.subtract, a, b) }
    public func multiply(_ a: Variable, _ b: Variable) -> Variable { binary(.multiply, a, b) }
    public func divide(_ a: Variable, _ b: Variable) -> Variable { binary(.divide, a, b) }

    /// a ^ b for a > 0. Three special forms are recorded as cheaper nodes: a constant exponent
    /// (`a^2` is a multiply, others one log+exp pass), and data base with a scalar exponent,
    /// recorded as exp(b * log a) with log a folded into data.
    public func power(_ a: Variable, _ b: Variable) -> Variable {
        let na = nodes[a.id], nb = nodes[b.id]
        if nb.isConstant && nb.isScalar && !na.isConstant {
            let k = values[nb.offset]
            if k == 1 { return a }
            return unary(.powerConstant(k), a)
        }
        if na.isConstant && !na.isScalar && nb.isScalar && !nb.isConstant {
            return scaledExp(b, log(a))
        }
        return binary(.power, a, b)
    }

    /// exp(s * x) for a scalar s and a vector x, one fused pass (the power-law kernel).
    public func scaledExp(_ s: Variable, _ x: Variable) -> Variable {
        precondition(nodes[s.id].isScalar, "TapeRecorder.scaledExp: the scale must be a scalar")
        return binary(.scaledExp, s, x)
    }

    public func negate(_ a: Variable) -> Variable { unary(.negate, a) }
    public func exp(_ a: Variable) -> Variable { unary(.exp, a) }
    public func log(_ a: Variable) -> Variable { unary(.log, a) }
    public func log1p(_ a: Variable) -> Variable { unary(.log1p, a) }
    public func sqrt(_ a: Variable) -> Variable { unary(.sqrt, a) }
    /// softplus(a) = log(1 + e^a), evaluated stably (see `Elementwise.softplus`).
    public func softplus(_ a: Variable) -> Variable { unary(.softplus, a) }

    /// The sum of a vector's elements (a scalar is returned unchanged).
    public func sum(_ a: Variable) -> Variable {
        if nodes[a.id].isScalar { return a }
        // sum(x^2) is recorded as x . x: one pass forward and one backward instead of three
        // (the squares, the sum, and broadcasting the sum's adjoint back).
        if case .powerConstant(2) = nodes[a.id].operation, !nodes[a.id].isConstant {
            let x = Variable(nodes[a.id].inputs.0, self)
            return reduction(.dot, x, x)
        }
        return reduction(.sum, a, nil)
    }

    /// The dot product of two vectors of equal length.
    public func dot(_ a: Variable, _ b: Variable) -> Variable {
        precondition(!nodes[a.id].isScalar && !nodes[b.id].isScalar, "TapeRecorder.dot: both operands must be vectors")
        precondition(nodes[a.id].count == nodes[b.id].count,
                     "TapeRecorder.dot: lengths \(nodes[a.id].count) and \(nodes[b.id].count) differ")
        return reduction(.dot, a, b)
    }

    /// Elements `start ..< start + count` of a vector, as a new vector (e.g. lagged residuals).
    public func slice(_ a: Variable, from start: Int, count: Int) -> Variable {
        let na = nodes[a.id]
        precondition(!na.isScalar, "TapeRecorder.slice: the operand must be a vector")
        precondition(start >= 0 && count >= 0 && start + count <= na.count,
                     "TapeRecorder.slice: range \(start)..<\(start + count) outside a vector of \(na.count)")
        let id = append(.slice(start), count: count, isScalar: false, isConstant: na.isConstant)
        nodes[id].inputs = (a.id, -1)
        if na.isConstant { evaluateNow(id) }
        return Variable(id, self)
    }

    /// Records a custom vector operation over `inputs` (see `CustomVectorOperation`).
    public func custom(_ operation: some CustomVectorOperation, inputs: [Variable]) -> Variable {
        let counts = inputs.map { nodes[$0.id].count }
        let count = operation.outputCount(inputCounts: counts)
        let allConstant = inputs.allSatisfy { nodes[$0.id].isConstant }
        customOperations.append(operation)
        customInputs.append(inputs.map(\.id))
        let id = append(.custom(customOperations.count - 1), count: count, isScalar: operation.outputIsScalar,
                        isConstant: allConstant)
        if allConstant { evaluateNow(id) }
        return Variable(id, self)
    }

    /// The element count of a recorded value.
    public func count(of a: Variable) -> Int { nodes[a.id].count }

    /// Whether a recorded value is a scalar.
    public func isScalar(_ a: Variable) -> Bool { nodes[a.id].isScalar }

    /// Ends recording: `output` (a scalar) is what `Tape.valueAndGradient` differentiates.
    /// Replays compute only what `output` and the `keep` values depend on; read the kept
    /// values with `Tape.values(of:)` after a pass (e.g. a curve's mean next to its log density).
    public func finish(output: Variable, keep: [Variable] = []) -> Tape {
        precondition(nodes[output.id].isScalar, "TapeRecorder.finish: the output must be a scalar")
        return Tape(recorded: nodes, values: values, customOperations: customOperations, customInputs: customInputs,
                    parameterNodes: parameterNodes, parameterCount: parameterCount, parameterNames: parameterNames,
                    output: output.id, keep: keep.map(\.id))
    }

    // MARK: recording

    private func append(_ op: Operation, count: Int, isScalar: Bool, isConstant: Bool) -> Int {
        let node = Node(operation: op, offset: values.count, count: count, isScalar: isScalar, isConstant: isConstant)
        values.append(contentsOf: repeatElement(0, count: count))
        nodes.append(node)
        return nodes.count - 1
    }

    private func unary(_ op: Operation, _ a: Variable) -> Variable {
        let na = nodes[a.id]
        let id = append(op, count: na.count, isScalar: na.isScalar, isConstant: na.isConstant)
        nodes[id].inputs = (a.id, -1)
        if na.isConstant { evaluateNow(id) }
        return Variable(id, self)
    }

    private func binary(_ op: Operation, _ a: Variable, _ b: Variable) -> Variable {
        let na = nodes[a.id], nb = nodes[b.id]
        let broadcast: Broadcast
        let count: Int
        switch (na.isScalar, nb.isScalar) {
        case (true, true): broadcast = .ss; count = 1
        case (true, false): broadcast = .sv; count = nb.count
        case (false, true): broadcast = .vs; count = na.count
        case (false, false):
            precondition(na.count == nb.count,
                         "TapeRecorder: vector lengths \(na.count) and \(nb.count) differ in \(op)")
            broadcast = .vv; count = na.count
        }
        let constant = na.isConstant && nb.isConstant
        let id = append(op, count: count, isScalar: broadcast == .ss, isConstant: constant)
        nodes[id].inputs = (a.id, b.id)
        nodes[id].broadcast = broadcast
        if constant { evaluateNow(id) }
        return Variable(id, self)
    }

    private func reduction(_ op: Operation, _ a: Variable, _ b: Variable?) -> Variable {
        let constant = nodes[a.id].isConstant && (b.map { nodes[$0.id].isConstant } ?? true)
        let id = append(op, count: 1, isScalar: true, isConstant: constant)
        nodes[id].inputs = (a.id, b?.id ?? -1)
        if constant { evaluateNow(id) }
        return Variable(id, self)
    }

    /// Constant folding: evaluate a node whose inputs are all data, once.
    private func evaluateNow(_ id: Int) {
        let node = nodes[id]
        nodes.withUnsafeBufferPointer { nb in
            values.withUnsafeMutableBufferPointer { vb in
                if case .custom(let k) = node.operation {
                    var dummy = 0.0
                    withUnsafeMutablePointer(to: &dummy) { g in
                        customInputs[k].withUnsafeBufferPointer { inputs in
                            customOperations[k].forward(CustomOperationIO(
                                values: vb.baseAddress!, adjoints: g, nodes: nb.baseAddress!,
                                inputIndices: inputs, outputNode: id, withAdjoints: false))
                        }
                    }
                } else {
                    Tape.forward(node, nb.baseAddress!, vb.baseAddress!)
                }
            }
        }
    }
}

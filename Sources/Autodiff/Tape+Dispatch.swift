/// Forward and backward dispatch: one `switch` per node, then a vector pass in the op's rule.
extension Tape {
    @inline(__always)
    static func forward(_ node: Node, _ nodes: UnsafePointer<Node>, _ v: UnsafeMutablePointer<Double>) {
        switch node.operation {
        case .parameter, .constant, .custom: return
        case .negate, .exp, .log, .log1p, .sqrt, .softplus, .powerConstant:
            UnaryRules.forward(node, nodes, v)
        case .add, .subtract, .multiply, .divide, .power, .scaledExp:
            BinaryRules.forward(node, nodes, v)
        case .sum, .dot:
            ReductionRules.forward(node, nodes, v)
        case .slice:
            SliceRules.forward(node, nodes, v)
        }
    }

    @inline(__always)
    static func backward(_ node: Node, _ nodes: UnsafePointer<Node>, _ v: UnsafeMutablePointer<Double>,
                         _ g: UnsafeMutablePointer<Double>) {
        switch node.operation {
        case .parameter, .constant, .custom: return
        case .negate, .exp, .log, .log1p, .sqrt, .softplus, .powerConstant:
            UnaryRules.backward(node, nodes, v, g)
        case .add, .subtract, .multiply, .divide, .power, .scaledExp:
            BinaryRules.backward(node, nodes, v, g)
        case .sum, .dot:
            ReductionRules.backward(node, nodes, v, g)
        case .slice:
            SliceRules.backward(node, nodes, v, g)
        }
    }
}

/// Where a backward rule writes: the first contribution to an adjoint assigns, later ones add.
struct AdjointSink {
    let base: UnsafeMutablePointer<Double>
    let count: Int
    let isScalar: Bool
    let assign: Bool
    /// False for inputs that need no gradient (data, or nodes that do not reach the output).
    let active: Bool

    init(_ nodes: UnsafePointer<Node>, _ input: Int, _ g: UnsafeMutablePointer<Double>, assign: Bool) {
        let n = nodes[input]
        base = g + n.offset
        count = n.count
        isScalar = n.isScalar
        self.assign = assign
        active = !n.isConstant && n.reachesOutput
    }

    /// Adds (or assigns) one scalar contribution.
    @inline(__always) func put(_ x: Double) {
        if assign { base[0] = x } else { base[0] += x }
    }

    /// Adds (or assigns) contribution(i) for every element i < count.
    @inline(__always) func put(_ n: Int, _ contribution: (Int) -> Double) {
        if assign {
            for i in 0..<n { base[i] = contribution(i) }
        } else {
            for i in 0..<n { base[i] += contribution(i) }
        }
    }

    /// Puts contribution(i) elementwise when this input is a vector, or their sum (the adjoint
    /// of a broadcast scalar) when it is a scalar; `n` is the consuming node's element count.
    @inline(__always) func putBroadcast(_ n: Int, _ contribution: (Int) -> Double) {
        if isScalar {
            // Two accumulators: the reduction vectorizes and the O(n eps) error bound is kept.
            var s0 = 0.0, s1 = 0.0
            var i = 0
            while i + 2 <= n { s0 += contribution(i); s1 += contribution(i + 1); i += 2 }
            if i < n { s0 += contribution(i) }
            put(s0 + s1)
        } else {
            put(n, contribution)
        }
    }
}

import LinearAlgebra

/// Elementwise unary operations: forward value and backward rule side by side.
///
/// | op | forward y | backward dx |
/// |---|---|---|
/// | negate | -x | -dy |
/// | exp | e^x (vector kernel) | dy * y |
/// | log | log x | dy / x |
/// | log1p | log(1 + x) | dy / (1 + x) |
/// | sqrt | sqrt x | dy * 0.5 / y |
/// | softplus | max(x,0) + log1p(e^-abs(x)) | dy * sigmoid(x), sigmoid(x) = e^(x - y) |
/// | x^k, k fixed | x^k (k = 2: x*x) | dy * k x^(k-1) |
enum UnaryRules {
    @inline(__always)
    static func forward(_ node: Node, _ nodes: UnsafePointer<Node>, _ v: UnsafeMutablePointer<Double>) {
        let x = UnsafePointer(v + nodes[node.inputs.0].offset)
        let y = v + node.offset
        let n = node.count
        switch node.operation {
        case .negate: for i in 0..<n { y[i] = -x[i] }
        case .exp: Elementwise.exp(UnsafeBufferPointer(start: x, count: n), into: .init(start: y, count: n))
        case .log: Elementwise.log(UnsafeBufferPointer(start: x, count: n), into: .init(start: y, count: n))
        case .log1p: Elementwise.log1p(UnsafeBufferPointer(start: x, count: n), into: .init(start: y, count: n))
        case .sqrt: for i in 0..<n { y[i] = x[i].squareRoot() }
        case .softplus: Elementwise.softplus(UnsafeBufferPointer(start: x, count: n), into: .init(start: y, count: n))
        case .powerConstant(let k):
            if k == 2 {
                for i in 0..<n { y[i] = x[i] * x[i] }
            } else {
                // x^k = exp(k log x), the vector kernels; defined for x > 0 (x = 0: 0 or inf).
                Elementwise.log(UnsafeBufferPointer(start: x, count: n), into: .init(start: y, count: n))
                Elementwise.expScaled(UnsafeBufferPointer(start: y, count: n), by: k, into: .init(start: y, count: n))
            }
        default: preconditionFailure("UnaryRules.forward: not a unary operation")
        }
    }

    @inline(__always)
    static func backward(_ node: Node, _ nodes: UnsafePointer<Node>, _ v: UnsafeMutablePointer<Double>,
                         _ g: UnsafeMutablePointer<Double>) {
        let sink = AdjointSink(nodes, node.inputs.0, g, assign: node.assignFirst)
        guard sink.active else { return }
        let x = v + nodes[node.inputs.0].offset
        let y = v + node.offset
        let dy = g + node.offset
        let n = node.count
        switch node.operation {
        case .negate: sink.put(n) { -dy[$0] }
        case .exp: sink.put(n) { dy[$0] * y[$0] }
        case .log: sink.put(n) { dy[$0] / x[$0] }
        case .log1p: sink.put(n) { dy[$0] / (1 + x[$0]) }
        case .sqrt: sink.put(n) { dy[$0] * 0.5 / y[$0] }
        case .softplus:
            // sigmoid(x) = exp(x - softplus(x)); x - softplus(x) = -softplus(-x) <= 0, so the
            // exponential never overflows and keeps full relative precision for x << 0.
            if n == 1 {
                sink.put(dy[0] * Elementwise.exp(x[0] - y[0]))
            } else {
                sink.put(n) { i in dy[i] * Elementwise.sigmoid(x[i]) }
            }
        case .powerConstant(let k):
            if k == 2 {
                sink.put(n) { 2 * x[$0] * dy[$0] }
            } else {
                // k x^(k-1) = k y / x for x != 0; at x = 0 use the limit through pow.
                sink.put(n) { i in
                    x[i] != 0 ? dy[i] * k * y[i] / x[i] : dy[i] * k * Elementwise.pow(x[i], k - 1)
                }
            }
        default: preconditionFailure("UnaryRules.backward: not a unary operation")
        }
    }
}

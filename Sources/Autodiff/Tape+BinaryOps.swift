import LinearAlgebra

/// Binary operations with scalar <-> vector broadcasting: forward value and backward rule side
/// by side. A scalar operand broadcast over a vector receives the sum of the elementwise
/// contributions as its adjoint (a SIMD reduction).
///
/// | op | forward y | backward da | backward db |
/// |---|---|---|---|
/// | a + b | a + b | dy | dy |
/// | a - b | a - b | dy | -dy |
/// | a * b | a b | dy b | dy a |
/// | a / b | a / b | dy / b | -dy y / b |
/// | a ^ b (a > 0) | exp(b log a) | dy b y / a | dy y log a |
/// | exp(a x) (a scalar, x data) | fused kernel | dy y x | dy y a |
enum BinaryRules {
    @inline(__always)
    static func forward(_ node: Node, _ nodes: UnsafePointer<Node>, _ v: UnsafeMutablePointer<Double>) {
        let a = UnsafePointer(v + nodes[node.inputs.0].offset)
        let b = UnsafePointer(v + nodes[node.inputs.1].offset)
        let y = v + node.offset
        let n = node.count
        switch node.operation {
        case .add: apply(node.broadcast, n, a, b, y) { $0 + $1 }
        case .subtract: apply(node.broadcast, n, a, b, y) { $0 - $1 }
        case .multiply: apply(node.broadcast, n, a, b, y) { $0 * $1 }
        case .divide: apply(node.broadcast, n, a, b, y) { $0 / $1 }
        case .power:
            let out = UnsafeMutableBufferPointer(start: y, count: n)
            switch node.broadcast {
            case .ss: y[0] = Elementwise.pow(a[0], b[0])
            case .vv: Elementwise.pow(UnsafeBufferPointer(start: a, count: n), UnsafeBufferPointer(start: b, count: n), into: out)
            case .vs:
                // a_i^b = exp(b log a_i): log into the output, then the scaled exp in place.
                Elementwise.log(UnsafeBufferPointer(start: a, count: n), into: out)
                Elementwise.expScaled(UnsafeBufferPointer(start: y, count: n), by: b[0], into: out)
            case .sv:
                Elementwise.expScaled(UnsafeBufferPointer(start: b, count: n), by: Elementwise.log(a[0]), into: out)
            }
        case .scaledExp:
            // inputs: (scalar s, vector x): y = exp(s x), one kernel pass.
            Elementwise.expScaled(UnsafeBufferPointer(start: b, count: n), by: a[0],
                                  into: UnsafeMutableBufferPointer(start: y, count: n))
        default: preconditionFailure("BinaryRules.forward: not a binary operation")
        }
    }

    @inline(__always)
    static func backward(_ node: Node, _ nodes: UnsafePointer<Node>, _ v: UnsafeMutablePointer<Double>,
                         _ g: UnsafeMutablePointer<Double>) {
        let ia = node.inputs.0, ib = node.inputs.1
        let sa = AdjointSink(nodes, ia, g, assign: node.assignFirst)
        // x * x: the second contribution to the same adjoint always accumulates.
        let sb = AdjointSink(nodes, ib, g, assign: node.assignSecond && ia != ib)
        let aScalar = nodes[ia].isScalar, bScalar = nodes[ib].isScalar
        let a = UnsafePointer(v + nodes[ia].offset), b = UnsafePointer(v + nodes[ib].offset)
        let y = UnsafePointer(v + node.offset), dy = UnsafePointer(g + node.offset)
        let n = node.count
        switch node.operation {
        case .add:
            if sa.active { sa.putScaled(1, dy, n) }
            if sb.active { sb.putScaled(1, dy, n) }
        case .subtract:
            if sa.active { sa.putScaled(1, dy, n) }
            if sb.active { sb.putScaled(-1, dy, n) }
        case .multiply:
            if sa.active { sa.putProduct(dy, b, bScalar, n) }
            if sb.active { sb.putProduct(dy, a, aScalar, n) }
        case .divide:
            if sa.active {
                if bScalar { sa.putScaled(1 / b[0], dy, n) } else { sa.putBroadcast(n) { dy[$0] / b[$0] } }
            }
            if sb.active {
                if bScalar { sb.put(-VectorOps.dot(dy, y, n) / b[0]) } else { sb.put(n) { -dy[$0] * y[$0] / b[$0] } }
            }
        case .power:
            // d/da a^b = b a^(b-1) = b y / a (a > 0); d/db a^b = y log a.
            if sa.active {
                switch (aScalar, bScalar) {
                case (true, true): sa.put(dy[0] * b[0] * y[0] / a[0])
                case (true, false): sa.putBroadcast(n) { dy[$0] * b[$0] * y[$0] / a[0] }
                case (false, true): let k = b[0]; sa.put(n) { dy[$0] * k * y[$0] / a[$0] }
                case (false, false): sa.put(n) { dy[$0] * b[$0] * y[$0] / a[$0] }
                }
            }
            if sb.active {
                if aScalar {
                    let la = Elementwise.log(a[0])
                    if bScalar { sb.put(dy[0] * y[0] * la) } else { sb.put(n) { dy[$0] * y[$0] * la } }
                } else if bScalar {
                    sb.putBroadcast(n) { dy[$0] * y[$0] * Elementwise.log(a[$0]) }
                } else {
                    sb.put(n) { dy[$0] * y[$0] * Elementwise.log(a[$0]) }
                }
            }
        case .scaledExp:
            // y = exp(s x): dy/ds = y x, dy/dx = y s.
            if sa.active { sa.put(VectorOps.dot(dy, y, b, n)) }
            if sb.active { let s = a[0]; sb.put(n) { dy[$0] * y[$0] * s } }
        default: preconditionFailure("BinaryRules.backward: not a binary operation")
        }
    }

    /// y = f(a, b) with broadcasting; each case is a plain loop the compiler vectorizes.
    @inline(__always)
    static func apply(_ broadcast: Broadcast, _ n: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                      _ y: UnsafeMutablePointer<Double>, _ f: (Double, Double) -> Double) {
        switch broadcast {
        case .ss: y[0] = f(a[0], b[0])
        case .sv: let s = a[0]; for i in 0..<n { y[i] = f(s, b[i]) }
        case .vs: let s = b[0]; for i in 0..<n { y[i] = f(a[i], s) }
        case .vv: for i in 0..<n { y[i] = f(a[i], b[i]) }
        }
    }
}

extension AdjointSink {
    /// Contribution c * dy_i (a scalar input receives c * sum dy).
    @inline(__always) func putScaled(_ c: Double, _ dy: UnsafePointer<Double>, _ n: Int) {
        if isScalar { put(c * VectorOps.sum(dy, n)) } else if c == 1 { put(n) { dy[$0] } } else { put(n) { c * dy[$0] } }
    }

    /// Contribution dy_i * other_i (other broadcast when scalar; a scalar input receives the dot product).
    @inline(__always) func putProduct(_ dy: UnsafePointer<Double>, _ other: UnsafePointer<Double>, _ otherScalar: Bool, _ n: Int) {
        switch (isScalar, otherScalar) {
        case (true, true): put(other[0] * VectorOps.sum(dy, n))
        case (true, false): put(VectorOps.dot(dy, other, n))
        case (false, true): let c = other[0]; put(n) { dy[$0] * c }
        case (false, false): put(n) { dy[$0] * other[$0] }
        }
    }
}

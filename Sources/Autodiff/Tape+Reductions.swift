import LinearAlgebra

/// Reductions to a scalar: forward value and backward rule side by side.
///
/// | op | forward y | backward |
/// |---|---|---|
/// | sum(x) | sum_i x_i (4-lane accumulation) | dx_i = dy |
/// | dot(a, b) | a . b (BLAS ddot) | da = dy b, db = dy a |
enum ReductionRules {
    @inline(__always)
    static func forward(_ node: Node, _ nodes: UnsafePointer<Node>, _ v: UnsafeMutablePointer<Double>) {
        let na = nodes[node.inputs.0]
        let a = UnsafeBufferPointer(start: v + na.offset, count: na.count)
        switch node.operation {
        case .sum: v[node.offset] = VectorOps.sum(a)
        case .dot:
            let nb = nodes[node.inputs.1]
            v[node.offset] = BLAS.dot(a, UnsafeBufferPointer(start: v + nb.offset, count: nb.count))
        default: preconditionFailure("ReductionRules.forward: not a reduction")
        }
    }

    @inline(__always)
    static func backward(_ node: Node, _ nodes: UnsafePointer<Node>, _ v: UnsafeMutablePointer<Double>,
                         _ g: UnsafeMutablePointer<Double>) {
        let dy = g[node.offset]
        let ia = node.inputs.0
        let sa = AdjointSink(nodes, ia, g, assign: node.assignFirst)
        switch node.operation {
        case .sum:
            if sa.active { sa.put(sa.count) { _ in dy } } // broadcast of the scalar adjoint
        case .dot:
            let ib = node.inputs.1
            let sb = AdjointSink(nodes, ib, g, assign: node.assignSecond && ia != ib)
            let a = v + nodes[ia].offset, b = v + nodes[ib].offset
            if ia == ib {
                // x . x: both contributions at once, 2 dy x.
                if sa.active { let c = 2 * dy; sa.put(sa.count) { c * a[$0] } }
            } else {
                if sa.active { sa.put(sa.count) { dy * b[$0] } }
                if sb.active { sb.put(sb.count) { dy * a[$0] } }
            }
        default: preconditionFailure("ReductionRules.backward: not a reduction")
        }
    }
}

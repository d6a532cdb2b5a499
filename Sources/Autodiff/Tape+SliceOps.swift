/// Contiguous slices: forward value and backward rule side by side.
///
/// | op | forward y | backward |
/// |---|---|---|
/// | x[s ..< s+n] | y_i = x_{s+i} | dx_{s+i} += dy_i (other elements receive 0) |
enum SliceRules {
    @inline(__always)
    static func forward(_ node: Node, _ nodes: UnsafePointer<Node>, _ v: UnsafeMutablePointer<Double>) {
        guard case .slice(let start) = node.operation else { preconditionFailure("SliceRules: not a slice") }
        let x = v + nodes[node.inputs.0].offset + start
        (v + node.offset).update(from: x, count: node.count)
    }

    @inline(__always)
    static func backward(_ node: Node, _ nodes: UnsafePointer<Node>, _ v: UnsafeMutablePointer<Double>,
                         _ g: UnsafeMutablePointer<Double>) {
        guard case .slice(let start) = node.operation else { preconditionFailure("SliceRules: not a slice") }
        let sink = AdjointSink(nodes, node.inputs.0, g, assign: node.assignFirst)
        guard sink.active else { return }
        // A first contribution must define the whole adjoint: zero it, then add the window.
        if sink.assign { sink.base.update(repeating: 0, count: sink.count) }
        let dx = sink.base + start, dy = g + node.offset
        for i in 0..<node.count { dx[i] += dy[i] }
    }
}

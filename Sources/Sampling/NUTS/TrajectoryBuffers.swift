/// Preallocated scratch memory for one NUTS trajectory, so that building a tree allocates nothing.
///
/// Everything Stan keeps as local `Eigen::VectorXd`s in `transition` and `build_tree` lives here
/// as a fixed slot of d doubles, carved out of one allocation. `build_tree` at depth k > 0 needs
/// its own locals (the inner ends and momenta sums of its two halves, the proposal of the final
/// half); at most one call per depth is active at a time, so one `Level` per depth suffices.
/// The contents never outlive a transition: every slot is written before it is read.
final class TrajectoryBuffers {
    /// A proposal: q (d), gradient (d), log density, H.
    struct Proposal {
        let base: UnsafeMutablePointer<Double>
        let d: Int
        var q: UnsafeMutablePointer<Double> { base }
        var gradient: UnsafeMutablePointer<Double> { base + d }
        var logDensityIndex: Int { 2 * d }
        var hamiltonianIndex: Int { 2 * d + 1 }
        static func size(_ d: Int) -> Int { 2 * d + 2 }
        func copy(from other: Proposal) { base.update(from: other.base, count: Self.size(d)) }
    }

    /// A whole phase point: q, p, p#, gradient (d each), log density, kinetic energy.
    struct StoredPoint {
        let base: UnsafeMutablePointer<Double>
        let d: Int
        static func size(_ d: Int) -> Int { 4 * d + 2 }

        func store(_ z: PhasePoint) {
            z.q.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: d) }
            z.p.withUnsafeBufferPointer { (base + d).update(from: $0.baseAddress!, count: d) }
            z.pSharp.withUnsafeBufferPointer { (base + 2 * d).update(from: $0.baseAddress!, count: d) }
            z.gradient.withUnsafeBufferPointer { (base + 3 * d).update(from: $0.baseAddress!, count: d) }
            base[4 * d] = z.logDensity
            base[4 * d + 1] = z.kineticEnergy
        }

        func load(into z: inout PhasePoint) {
            let b = base, n = d
            z.q.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: b, count: n) }
            z.p.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: b + n, count: n) }
            z.pSharp.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: b + 2 * n, count: n) }
            z.gradient.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: b + 3 * n, count: n) }
            z.logDensity = b[4 * n]
            z.kineticEnergy = b[4 * n + 1]
        }
    }

    /// The locals of one `build_tree` call at depth k > 0 (Stan names).
    struct Level {
        let pInitEnd, pSharpInitEnd, rhoInit: UnsafeMutablePointer<Double>
        let pFinalBegin, pSharpFinalBegin, rhoFinal: UnsafeMutablePointer<Double>
        let proposalFinal: Proposal
    }

    let dimension: Int
    private let storage: UnsafeMutablePointer<Double>
    private let count: Int

    // Top level of the transition (Stan `base_nuts::transition`).
    let rho, rhoForward, rhoBackward, scratch: UnsafeMutablePointer<Double>
    let pFwdFwd, pFwdBck, pBckFwd, pBckBck: UnsafeMutablePointer<Double>
    let pSharpFwdFwd, pSharpFwdBck, pSharpBckFwd, pSharpBckBck: UnsafeMutablePointer<Double>
    let zForward, zBackward: StoredPoint
    let proposal, sample: Proposal
    /// levels[k] for k in 1...maxDepth (index 0 unused).
    let levels: [Level]

    init(dimension d: Int, maxDepth: Int) {
        precondition(d >= 1, "TrajectoryBuffers: dimension must be at least 1")
        let vectorSlots = 12 + 6 * (maxDepth + 1)
        count = vectorSlots * d + 2 * StoredPoint.size(d) + (3 + maxDepth) * Proposal.size(d)
        storage = .allocate(capacity: count)
        storage.initialize(repeating: 0, count: count)
        dimension = d
        var cursor = storage
        func take(_ n: Int) -> UnsafeMutablePointer<Double> {
            defer { cursor += n }
            return cursor
        }
        rho = take(d); rhoForward = take(d); rhoBackward = take(d); scratch = take(d)
        pFwdFwd = take(d); pFwdBck = take(d); pBckFwd = take(d); pBckBck = take(d)
        pSharpFwdFwd = take(d); pSharpFwdBck = take(d); pSharpBckFwd = take(d); pSharpBckBck = take(d)
        zForward = StoredPoint(base: take(StoredPoint.size(d)), d: d)
        zBackward = StoredPoint(base: take(StoredPoint.size(d)), d: d)
        proposal = Proposal(base: take(Proposal.size(d)), d: d)
        sample = Proposal(base: take(Proposal.size(d)), d: d)
        var levels: [Level] = []
        for _ in 0...maxDepth {
            levels.append(Level(pInitEnd: take(d), pSharpInitEnd: take(d), rhoInit: take(d),
                                pFinalBegin: take(d), pSharpFinalBegin: take(d), rhoFinal: take(d),
                                proposalFinal: Proposal(base: take(Proposal.size(d)), d: d)))
        }
        self.levels = levels
        precondition(cursor - storage == count, "TrajectoryBuffers: layout mismatch")
    }

    deinit { storage.deallocate() }
}

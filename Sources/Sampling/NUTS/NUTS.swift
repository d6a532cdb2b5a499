/// The No-U-Turn sampler as in current Stan (`mcmc/hmc/nuts/base_nuts.hpp`, stan-dev/stan
/// 9048555): multinomial sampling of the trajectory (Betancourt 2017, appendix A.3.2), biased
/// progressive sampling between the old trajectory and a new subtree, uniform progressive
/// sampling inside subtrees, and the generalized U-turn criterion with the two extra checks
/// across subtree boundaries (Stan v2.21). Hoffman & Gelman 2014 for the original algorithm.
///
/// One instance runs one chain on one thread (it is not `Sendable`). Copies of a sampler share
/// its scratch buffers, which is harmless on one thread: they hold nothing between transitions. The current position and its gradient are kept
/// between transitions, so a transition costs exactly `leapfrogSteps` gradient evaluations.
/// Random numbers are consumed in Stan's order: d normals for the momentum, then per doubling
/// one uniform for the direction, one per internal tree node for the subtree proposal, and one
/// at the top level unless the new subtree outweighs the old trajectory.
public struct NUTSSampler<Density: LogDensity> {
    /// The target; the sampler owns its copy (the gradient cached for the current position
    /// belongs to it, so it cannot be replaced from outside).
    public internal(set) var density: Density
    /// The metric M^-1 used for momentum draws and kinetic energy (replace with `setMetric`).
    public private(set) var metric: Metric
    /// The nominal step size eps.
    public var stepSize: Double
    /// Maximum number of doublings (Stan default 10); fixed because the scratch buffers are
    /// sized for it.
    public let maxTreeDepth: Int
    /// Divergence threshold on H - H0 (Stan default 1000).
    public var maxDeltaH: Double
    /// The chain's random stream.
    public var rng: Xoshiro256StarStar
    /// Gradient evaluations so far (leapfrog steps, step-size searches, initialization).
    public internal(set) var gradientEvaluations: Int = 0

    /// The integrator state; between transitions it holds the current position.
    var z: PhasePoint
    let buffers: TrajectoryBuffers

    // Per-transition accumulators (Stan's by-reference arguments of build_tree).
    var leapfrogSteps = 0
    var sumMetropolisProbability = 0.0
    var divergent = false

    /// Why a sampler cannot start.
    public enum Failure: Error, CustomStringConvertible {
        case dimensionMismatch(density: Int, other: Int, what: String)
        case nonFiniteInitialPoint
        public var description: String {
            switch self {
            case .dimensionMismatch(let d, let o, let w):
                return "NUTSSampler: the density has dimension \(d) but the \(w) has \(o)"
            case .nonFiniteInitialPoint:
                return "NUTSSampler: the log density or its gradient is not finite at the initial point"
            }
        }
    }

    /// A sampler at `initialPoint` (unconstrained coordinates); evaluates the density there once.
    public init(density: Density, initialPoint: [Double], metric: Metric? = nil, stepSize: Double = 1,
                maxTreeDepth: Int = 10, maxDeltaH: Double = 1000, rng: Xoshiro256StarStar) throws(Failure) {
        let d = density.dimension
        precondition(d >= 1, "NUTSSampler: the density has dimension \(d)")
        precondition(maxTreeDepth >= 0, "NUTSSampler: maxTreeDepth \(maxTreeDepth) is negative")
        guard initialPoint.count == d else {
            throw .dimensionMismatch(density: d, other: initialPoint.count, what: "initial point")
        }
        let metric = metric ?? .unit(dimension: d)
        guard metric.dimension == d else {
            throw .dimensionMismatch(density: d, other: metric.dimension, what: "metric")
        }
        self.density = density
        self.metric = metric
        self.stepSize = stepSize
        self.maxTreeDepth = maxTreeDepth
        self.maxDeltaH = maxDeltaH
        self.rng = rng
        self.buffers = TrajectoryBuffers(dimension: d, maxDepth: maxTreeDepth)
        self.z = PhasePoint(dimension: d)
        z.q = initialPoint
        z.evaluate(&self.density)
        gradientEvaluations = 1
        guard z.logDensity.isFinite else { throw .nonFiniteInitialPoint }
    }

    public var dimension: Int { z.dimension }

    /// The current position (unconstrained coordinates).
    public var position: [Double] { z.q }

    /// log p at the current position.
    public var logDensity: Double { z.logDensity }

    /// Replaces the metric (after adaptation). Must have the same dimension.
    public mutating func setMetric(_ m: Metric) {
        precondition(m.dimension == dimension, "NUTSSampler: metric of dimension \(m.dimension), expected \(dimension)")
        metric = m
    }

    /// One NUTS transition from the current position; the new position becomes current.
    public mutating func transition() -> TransitionInfo {
        let b = buffers
        let d = dimension
        let eps = stepSize

        z.resampleMomentum(metric, using: &rng)
        let h0 = z.hamiltonian

        b.zForward.store(z)
        b.zBackward.store(z)
        writeProposal(b.sample, hamiltonian: h0)
        z.p.withUnsafeBufferPointer { p in
            let p = p.baseAddress!
            b.pFwdFwd.update(from: p, count: d)
            b.pFwdBck.update(from: p, count: d)
            b.pBckFwd.update(from: p, count: d)
            b.pBckBck.update(from: p, count: d)
            b.rho.update(from: p, count: d)
        }
        z.pSharp.withUnsafeBufferPointer { s in
            let s = s.baseAddress!
            b.pSharpFwdFwd.update(from: s, count: d)
            b.pSharpFwdBck.update(from: s, count: d)
            b.pSharpBckFwd.update(from: s, count: d)
            b.pSharpBckBck.update(from: s, count: d)
        }

        var logSumWeight = 0.0   // log(exp(H0 - H0)): the initial point's weight
        leapfrogSteps = 0
        sumMetropolisProbability = 0
        divergent = false
        var depth = 0

        while depth < maxTreeDepth {
            let subtree: Subtree
            if rng.uniform() > 0.5 {
                // Extend forward: the old trajectory becomes the backward half.
                b.zForward.load(into: &z)
                b.rhoBackward.update(from: b.rho, count: d)
                b.pBckFwd.update(from: b.pFwdFwd, count: d)
                b.pSharpBckFwd.update(from: b.pSharpFwdFwd, count: d)
                subtree = buildTree(depth: depth, stepSize: eps, h0: h0,
                                    into: SubtreeSlots(proposal: b.proposal, pBegin: b.pFwdBck, pEnd: b.pFwdFwd,
                                                       pSharpBegin: b.pSharpFwdBck, pSharpEnd: b.pSharpFwdFwd,
                                                       rho: b.rhoForward))
                b.zForward.store(z)
            } else {
                // Extend backward: the mirror image.
                b.zBackward.load(into: &z)
                b.rhoForward.update(from: b.rho, count: d)
                b.pFwdBck.update(from: b.pBckBck, count: d)
                b.pSharpFwdBck.update(from: b.pSharpBckBck, count: d)
                subtree = buildTree(depth: depth, stepSize: -eps, h0: h0,
                                    into: SubtreeSlots(proposal: b.proposal, pBegin: b.pBckFwd, pEnd: b.pBckBck,
                                                       pSharpBegin: b.pSharpBckFwd, pSharpEnd: b.pSharpBckBck,
                                                       rho: b.rhoBackward))
                b.zBackward.store(z)
            }
            // An invalid subtree (divergence or internal U-turn) contributes nothing selectable.
            if !subtree.isValid { break }
            depth += 1

            // Biased progressive sampling: prefer the new subtree by min(1, w_new / w_old)
            // (Betancourt 2017, A.3.2); exp of a difference of logs, never of a raw weight.
            if subtree.logSumWeight > logSumWeight {
                b.sample.copy(from: b.proposal)
            } else if rng.uniform() < _exp(subtree.logSumWeight - logSumWeight) {
                b.sample.copy(from: b.proposal)
            }
            logSumWeight = logSumExp(logSumWeight, subtree.logSumWeight)

            // rho = rho_bck + rho_fwd, then the U-turn checks over the whole trajectory and
            // across the junction of the two halves.
            for i in 0..<d { b.rho[i] = b.rhoBackward[i] + b.rhoForward[i] }
            var persist = noUTurn(b.pSharpBckBck, b.pSharpFwdFwd, b.rho, d)
            for i in 0..<d { b.scratch[i] = b.rhoBackward[i] + b.pFwdBck[i] }
            persist = noUTurn(b.pSharpBckBck, b.pSharpFwdBck, b.scratch, d) && persist
            for i in 0..<d { b.scratch[i] = b.rhoForward[i] + b.pBckFwd[i] }
            persist = noUTurn(b.pSharpBckFwd, b.pSharpFwdFwd, b.scratch, d) && persist
            if !persist { break }
        }

        // The selected state becomes the current position (its gradient comes along).
        let s = b.sample
        z.q.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: s.q, count: d) }
        z.gradient.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: s.gradient, count: d) }
        z.logDensity = s.base[s.logDensityIndex]
        let accept = leapfrogSteps > 0 ? sumMetropolisProbability / Double(leapfrogSteps) : 0
        return TransitionInfo(acceptStat: accept, stepSize: eps, treeDepth: depth,
                              leapfrogSteps: leapfrogSteps, divergent: divergent,
                              energy: s.base[s.hamiltonianIndex], logDensity: z.logDensity)
    }

    /// Copies the current integrator state into a proposal slot.
    func writeProposal(_ slot: TrajectoryBuffers.Proposal, hamiltonian h: Double) {
        let d = dimension
        z.q.withUnsafeBufferPointer { slot.q.update(from: $0.baseAddress!, count: d) }
        z.gradient.withUnsafeBufferPointer { slot.gradient.update(from: $0.baseAddress!, count: d) }
        slot.base[slot.logDensityIndex] = z.logDensity
        slot.base[slot.hamiltonianIndex] = h
    }
}

/// The generalized no-U-turn criterion (Betancourt 2017, A.4.2; Stan `compute_criterion`):
/// the trajectory keeps going while both ends' sharp momenta point along the summed momentum,
/// ```
/// p#_minus . rho > 0  and  p#_plus . rho > 0
/// ```
func noUTurn(_ pSharpMinus: UnsafePointer<Double>, _ pSharpPlus: UnsafePointer<Double>,
             _ rho: UnsafePointer<Double>, _ d: Int) -> Bool {
    sequentialDot(pSharpPlus, rho, d) > 0 && sequentialDot(pSharpMinus, rho, d) > 0
}

/// What one NUTS transition did (Stan's sampler diagnostics `accept_stat__`, `stepsize__`,
/// `treedepth__`, `n_leapfrog__`, `divergent__`, `energy__`, plus `lp__`).
public struct TransitionInfo: Sendable, Equatable {
    /// sum over all leapfrog states of min(1, exp(H0 - h)) / n_leapfrog, including the states of
    /// a rejected last subtree (Stan `base_nuts.hpp`); the statistic step-size adaptation targets.
    public var acceptStat: Double
    /// The step size used by the transition.
    public var stepSize: Double
    /// Number of accepted doublings.
    public var treeDepth: Int
    /// Leapfrog steps (= gradient evaluations) of the transition.
    public var leapfrogSteps: Int
    /// Whether some step had H - H0 > maxDeltaH (1000) or a non-finite energy.
    public var divergent: Bool
    /// H at the selected state (for E-BFMI).
    public var energy: Double
    /// log p at the selected state (`lp__`).
    public var logDensity: Double
}

/// The per-draw sampler statistics of a chain, stored by column.
public struct SamplerStatistics: Sendable, Equatable {
    public var acceptStat: [Double] = []
    public var stepSize: [Double] = []
    public var treeDepth: [Int] = []
    public var leapfrogSteps: [Int] = []
    public var divergent: [Bool] = []
    public var energy: [Double] = []
    public var logDensity: [Double] = []

    public init() {}

    public var count: Int { acceptStat.count }

    /// Number of divergent transitions.
    public var divergences: Int { divergent.reduce(0) { $0 + ($1 ? 1 : 0) } }

    mutating func reserve(_ n: Int) {
        acceptStat.reserveCapacity(n); stepSize.reserveCapacity(n); treeDepth.reserveCapacity(n)
        leapfrogSteps.reserveCapacity(n); divergent.reserveCapacity(n); energy.reserveCapacity(n)
        logDensity.reserveCapacity(n)
    }

    mutating func append(_ info: TransitionInfo) {
        acceptStat.append(info.acceptStat); stepSize.append(info.stepSize)
        treeDepth.append(info.treeDepth); leapfrogSteps.append(info.leapfrogSteps)
        divergent.append(info.divergent); energy.append(info.energy); logDensity.append(info.logDensity)
    }

    /// The record of draw `i`.
    public subscript(i: Int) -> TransitionInfo {
        TransitionInfo(acceptStat: acceptStat[i], stepSize: stepSize[i], treeDepth: treeDepth[i],
                       leapfrogSteps: leapfrogSteps[i], divergent: divergent[i], energy: energy[i],
                       logDensity: logDensity[i])
    }
}

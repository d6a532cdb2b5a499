import Forecasting

/// Whether a fit can be trusted for one stopping decision: do its chains, each on its own, vote
/// the same way as all draws together, and did few enough transitions diverge?
///
/// DESIGN.md asks the rules never to stop on a fit whose diagnostics failed. Which diagnostics?
/// Vehtari, Gelman, Simpson, Carpenter & Buerkner (2021, "Rank-normalization, folding, and
/// localization: an improved R-hat for assessing convergence of MCMC", sections 4-5) ask for
/// convergence of every *quantity of interest*, and a stopping decision has one: the vote, a
/// function of the posterior predictive draws of the metric at the horizon (p = P(y_H beats
/// target) < threshold, or EI per step < the exchange rate). Its between-chain check is that the
/// chains agree on it:
///
///     pass  iff  vote(draws of chain c) == vote(all draws)  for every chain c,
///                and divergent transitions <= maximumDivergenceRate of all transitions
///
/// so Monte Carlo error between chains cannot flip the decision (with 300 draws per chain, a chain
/// votes stop at threshold 0.05 only if fewer than 15 of its draws beat the target).
///
/// Why not `ForecastResult.diagnosticsPass` (every parameter's R-hat <= 1.01 and ESS >= 100 per
/// chain, no divergence at all)? On the shared corpus the default broken-power-law fits fail it
/// almost always (70 of 70 checkpoint fits of gemstones/half-lr at 2 x 300 draws; single fits at
/// 4 x 500 and 2 x 1000 too; CALIBRATION_NOTES lesson 4: the loss floor E mixes slowly on a prefix
/// and a few transitions diverge), so a rule guarded by it never stops. A poorly mixing E does not
/// make a vote untrustworthy when every chain alone reaches it; chains that disagree do. The
/// strict test is still reported (`ReplayForecast.strictDiagnosticsPass`, `decide`'s
/// "diagnostics").
///
/// A result with several components has no per-chain order in its mixture draws; it is judged by
/// the strict test.
public struct DecisionDiagnostics: Sendable, Equatable {
    /// At most 2% of transitions divergent: a few divergences bias a tail probability little next
    /// to the threshold it is compared with; many mean the sampler misses part of the posterior.
    public static let maximumDivergenceRate = 0.02

    /// The target acceptance (Stan's adapt_delta) of fits a decision is taken on: 0.99 rather than
    /// the forecasts' 0.9. Smaller steps are Stan's remedy for divergences, which block stops here:
    /// on the checkpoint fits of gemstones/half-lr (2 x 300 draws), 0.9 left more than 2% of the
    /// transitions divergent in 32% of the fits, 0.95 in 17%, 0.99 in none, at 1.7 times the
    /// fitting time of 0.9.
    public static let targetAcceptance = 0.99

    /// Each chain's vote (true: stop), or nil when the draws cannot be split by chain.
    public var chainVotes: [Bool]?
    /// The vote of all draws together.
    public var pooledVote: Bool
    public var divergenceRate: Double
    /// The strict all-parameter test, used when the draws cannot be split by chain.
    public var strictPass: Bool

    public init(chainVotes: [Bool]?, pooledVote: Bool, divergenceRate: Double, strictPass: Bool) {
        self.chainVotes = chainVotes
        self.pooledVote = pooledVote
        self.divergenceRate = divergenceRate
        self.strictPass = strictPass
    }

    /// What fails, in words; empty when the decision can be taken.
    public var problems: [String] {
        guard let votes = chainVotes else {
            return strictPass ? [] : ["the fit failed its sampler diagnostics (R-hat, ESS, divergences)"]
        }
        var found: [String] = []
        let disagreeing = votes.filter { $0 != pooledVote }.count
        if disagreeing > 0 {
            found.append("\(disagreeing) of \(votes.count) chains alone would vote \(pooledVote ? "continue" : "stop")")
        }
        if !(divergenceRate <= Self.maximumDivergenceRate) {
            let shown = divergenceRate.isFinite ? String(format: "%.1f%%", divergenceRate * 100) : "an unknown share"
            found.append("\(shown) of transitions diverged (at most \(Self.maximumDivergenceRate * 100)%)")
        }
        return found
    }

    public var pass: Bool { problems.isEmpty }

    /// The diagnostics of a vote on `draws`, split into consecutive chains of `chainLengths`
    /// draws (nil: cannot be split); a lone chain is cut into its two halves
    /// (`splittingSingleChain`), so `decide`, the replay and the daemon check one-chain fits alike.
    public static func assess(draws: [Double], chainLengths: [Int]?, divergenceRate: Double, strictPass: Bool,
                              vote: ([Double]) -> Bool) -> DecisionDiagnostics {
        var chainVotes: [Bool]?
        if let lengths = splittingSingleChain(chainLengths), lengths.reduce(0, +) == draws.count, !lengths.isEmpty {
            var start = 0
            chainVotes = lengths.map { n in
                defer { start += n }
                return vote(Array(draws[start..<(start + n)]))
            }
        }
        return DecisionDiagnostics(chainVotes: chainVotes, pooledVote: vote(draws), divergenceRate: divergenceRate,
                                   strictPass: strictPass)
    }

    /// The diagnostics of a vote on `draws`, the predictive draws of `result` in chain order: its
    /// chain lengths (a lone chain cut into halves), divergence rate and strict test.
    public static func assess(draws: [Double], of result: ForecastResult,
                              vote: ([Double]) -> Bool) -> DecisionDiagnostics {
        assess(draws: draws, chainLengths: chainLengths(of: result),
               divergenceRate: divergenceRate(of: result), strictPass: result.diagnosticsPass, vote: vote)
    }

    /// The chain lengths of `result`'s predictive draws (one component), else nil.
    public static func chainLengths(of result: ForecastResult) -> [Int]? {
        guard result.components.count == 1 else { return nil }
        return result.components[0].fit.chains.map(\.draws.rows)
    }

    /// Chain lengths with a single chain cut into its two halves, as split-R-hat cuts every chain
    /// (Gelman et al. 2013, "Bayesian Data Analysis", 3rd ed., section 11.4; Vehtari et al. 2021,
    /// section 4): a lone chain still faces a between-chain check, its first half against its
    /// second, so a vote that drifts along the chain fails. Several chains are returned as they are.
    public static func splittingSingleChain(_ lengths: [Int]?) -> [Int]? {
        guard let lengths, lengths.count == 1, lengths[0] >= 2 else { return lengths }
        return [lengths[0] / 2, lengths[0] - lengths[0] / 2]
    }

    /// The share of divergent transitions over `result`'s components with weight >= 1%.
    public static func divergenceRate(of result: ForecastResult) -> Double {
        var divergent = 0, transitions = 0
        for c in result.components where c.weight >= 0.01 {
            guard let s = c.fit.summary.sampler else { continue }
            divergent += s.totalDivergences
            transitions += s.totalTransitions
        }
        return transitions > 0 ? Double(divergent) / Double(transitions) : 0
    }
}

extension PredictiveStoppingRule {
    /// The rule's vote on `draws` alone, guards aside: p < threshold.
    public func votesStop(_ draws: [Double], target: Double, direction: OptimizationDirection) -> Bool {
        (Self.probability(of: draws, beating: target, direction: direction) ?? 1) < threshold
    }
}

extension ExpectedImprovementRule {
    /// The rule's vote on `draws` alone, guards aside: EI / (horizon - currentStep) < minimumGainPerStep.
    public func votesStop(_ draws: [Double], target: Double, direction: OptimizationDirection,
                          currentStep: Double, horizon: Double) -> Bool {
        guard horizon > currentStep, let ei = Self.expectedImprovement(of: draws, over: target, direction: direction) else { return false }
        return ei / (horizon - currentStep) < minimumGainPerStep
    }
}

/// "Is the rest of this run worth its cost?": stop a run when the improvement it is expected to
/// bring over the target, per step still to train, is below what a step is worth to the user.
///
/// With y_H the metric at the horizon H, the run at step s, S posterior predictive draws y_H^(s)
/// and improvement measured in the metric's better direction,
///
///     EI   = E[max(target - y_H, 0)] ~= (1/S) sum_s max(target - y_H^(s), 0)   (minimize;
///            max(y_H - target, 0) for maximize)
///     rate = EI / (H - s)
///
/// and the rule votes stop when rate < `minimumGainPerStep`: the exchange rate between the metric
/// and compute (e.g. 1e-6 loss per step: finishing 10,000 more steps is worth it only if it is
/// expected to lower the best loss by more than 0.01). This is expected improvement (Jones,
/// Schonlau & Welch 1998, "Efficient global optimization of expensive black-box functions") per
/// unit cost, as in "EI per second" (Snoek, Larochelle & Adams 2012, "Practical Bayesian
/// optimization of machine learning algorithms", section 3.2), with the run's own predictive
/// draws in place of a Gaussian-process posterior and the remaining steps as the cost.
///
/// Unlike P(final beats target), EI weighs how much a run could win, not only how likely it is to
/// win anything: a run with a 3% chance of beating the target by a wide margin can be worth
/// finishing, and one with a 60% chance of beating it by 1e-5 may not be.
///
/// The same guards as `PredictiveStoppingRule` apply (`StoppingGuards`): minimum points after the
/// warmup, never on failed diagnostics, `consecutiveVotes` stop votes in a row.
public struct ExpectedImprovementRule: Sendable, Codable, Equatable {
    /// Stop when EI per remaining step is below this (metric units per step, > 0).
    public var minimumGainPerStep: Double
    /// Points (after the warmup) needed before any stop vote.
    public var minimumPoints: Int = 10
    /// Points at steps <= warmupSteps are ignored by the `minimumPoints` guard.
    public var warmupSteps: Double = 0
    /// Consecutive stop votes needed to stop (k >= 1).
    public var consecutiveVotes: Int = 2

    public init(minimumGainPerStep: Double, minimumPoints: Int = 10, warmupSteps: Double = 0, consecutiveVotes: Int = 2) {
        self.minimumGainPerStep = minimumGainPerStep
        self.minimumPoints = minimumPoints
        self.warmupSteps = warmupSteps
        self.consecutiveVotes = consecutiveVotes
    }

    /// EI = mean over the finite draws of max(improvement over target, 0); nil for no finite draws.
    public static func expectedImprovement(of draws: [Double], over target: Double, direction: OptimizationDirection) -> Double? {
        let finite = draws.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        let total = finite.reduce(0) { sum, y in sum + max(direction == .minimize ? target - y : y - target, 0) }
        return total / Double(finite.count)
    }

    /// The decision for one evaluation of a run at `currentStep`, to be trained until `horizon`.
    /// The other parameters are those of `PredictiveStoppingRule.decide`; the decision's
    /// `probability` is P(final beats target), reported for information only.
    public func decide(
        horizonDraws: [Double], target: Double, direction: OptimizationDirection, currentStep: Double, horizon: Double,
        observedSteps: [Double], diagnosticsPass: Bool, previousStopVotes: Int = 0
    ) -> StoppingDecision {
        let ei = Self.expectedImprovement(of: horizonDraws, over: target, direction: direction)
        let p = PredictiveStoppingRule.probability(of: horizonDraws, beating: target, direction: direction)
        let guards = StoppingGuards(minimumPoints: minimumPoints, warmupSteps: warmupSteps, consecutiveVotes: consecutiveVotes)
        return guards.decide(observedSteps: observedSteps, diagnosticsPass: diagnosticsPass,
                             previousStopVotes: previousStopVotes, probability: p, expectedImprovement: ei) {
            guard let ei else { return nil }
            let remaining = horizon - currentStep
            guard remaining > 0 else { return (false, "the run has reached the horizon; nothing left to save") }
            let rate = ei / remaining
            let shown = "E[improvement over \(target)] = \(Self.format(ei)) over \(Self.format(remaining)) remaining steps = \(Self.format(rate)) per step"
            return rate < minimumGainPerStep
                ? (true, "\(shown) < \(minimumGainPerStep)")
                : (false, "\(shown) >= \(minimumGainPerStep)")
        }
    }

    static func format(_ x: Double) -> String {
        x == 0 ? "0" : String(format: "%.3g", x)
    }
}

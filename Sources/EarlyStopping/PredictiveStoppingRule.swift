import Foundation

/// Stop a run when its forecast is unlikely to beat a target (Domhan, Springenberg & Hutter 2015,
/// "Speeding up automatic hyperparameter optimization of deep neural networks by extrapolation of
/// learning curves", IJCAI, section 3.2): with y_H the metric at the horizon step H,
///
///     p = P(y_H beats target | data) ~= (1/S) sum_s 1[y_H^(s) beats target]
///
/// over S posterior predictive draws y_H^(s), and the run gets a stop vote when p < threshold.
///
/// Guards (DESIGN.md, "Early stopping"; `StoppingGuards`), checked in this order, each giving
/// `continue` with its reason:
/// 1. fewer than `minimumPoints` points after `warmupSteps` have been seen: too early to judge;
/// 2. the fit's sampler diagnostics failed: never stop on a posterior we cannot trust;
/// 3. p >= threshold: continue (the vote streak resets);
/// 4. p < threshold but fewer than `consecutiveVotes` stop votes in a row (counting this one):
///    continue, the vote is carried in `StoppingDecision.stopVotes`.
/// Only after all guards pass is the decision `stop`.
///
/// The probability is smoothed as (count + 1/2) / (S + 1) (the Jeffreys posterior mean of a
/// binomial proportion), so that 0 of 4000 draws reads as p ~ 1.2e-4, not an impossible 0.
public struct PredictiveStoppingRule: Sendable, Codable, Equatable {
    /// Stop when P(final beats target) < threshold (default 0.05).
    public var threshold: Double = 0.05
    /// Points (after the warmup) needed before any stop vote.
    public var minimumPoints: Int = 10
    /// Points at steps <= warmupSteps are ignored by the `minimumPoints` guard.
    public var warmupSteps: Double = 0
    /// Consecutive stop votes needed to stop (k >= 1).
    public var consecutiveVotes: Int = 2

    public init(threshold: Double = 0.05, minimumPoints: Int = 10, warmupSteps: Double = 0, consecutiveVotes: Int = 2) {
        self.threshold = threshold
        self.minimumPoints = minimumPoints
        self.warmupSteps = warmupSteps
        self.consecutiveVotes = consecutiveVotes
    }

    /// P(draw beats target), smoothed as (count + 1/2) / (S + 1); nil for no draws.
    public static func probability(of draws: [Double], beating target: Double, direction: OptimizationDirection) -> Double? {
        let finite = draws.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        let count = finite.reduce(0) { $0 + (direction.beats($1, target) ? 1 : 0) }
        return (Double(count) + 0.5) / (Double(finite.count) + 1)
    }

    /// The decision for one evaluation of a run.
    /// - Parameters:
    ///   - horizonDraws: posterior predictive draws of the metric at the horizon, in the metric's
    ///     own units (for a maximized metric, the accuracy itself, not 1 - accuracy);
    ///   - target: the value to beat (a fixed threshold, or the best final value so far);
    ///   - observedSteps: the steps seen so far (for the warmup and minimum-points guards);
    ///   - diagnosticsPass: whether the fit passed its sampler diagnostics;
    ///   - previousStopVotes: consecutive stop votes before this evaluation (from the last decision).
    public func decide(
        horizonDraws: [Double], target: Double, direction: OptimizationDirection,
        observedSteps: [Double], diagnosticsPass: Bool, previousStopVotes: Int = 0
    ) -> StoppingDecision {
        let p = Self.probability(of: horizonDraws, beating: target, direction: direction)
        return guards.decide(observedSteps: observedSteps, diagnosticsPass: diagnosticsPass,
                             previousStopVotes: previousStopVotes, probability: p) {
            guard let p else { return nil }
            let shown = StoppingDecision.format(p)
            return p < threshold
                ? (true, "P(final beats \(target)) = \(shown) < threshold \(threshold)")
                : (false, "P(final beats \(target)) = \(shown) >= threshold \(threshold)")
        }
    }

    var guards: StoppingGuards {
        StoppingGuards(minimumPoints: minimumPoints, warmupSteps: warmupSteps, consecutiveVotes: consecutiveVotes)
    }
}

/// The outcome of one evaluation of `PredictiveStoppingRule`.
public struct StoppingDecision: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable { case `continue`, stop }
    public var verdict: Verdict
    /// P(final beats target), nil when it could not be computed.
    public var probability: Double?
    /// Consecutive stop votes including this evaluation (0 after a continue vote).
    public var stopVotes: Int
    /// Why, in words.
    public var reason: String
    /// E[improvement over the target] at the horizon, for `ExpectedImprovementRule`; nil otherwise.
    public var expectedImprovement: Double?

    public init(verdict: Verdict, probability: Double?, stopVotes: Int, reason: String,
                expectedImprovement: Double? = nil) {
        self.verdict = verdict
        self.probability = probability
        self.stopVotes = stopVotes
        self.reason = reason
        self.expectedImprovement = expectedImprovement
    }

    static func format(_ p: Double) -> String {
        p < 0.001 ? String(format: "%.1e", p) : String(format: "%.3f", p)
    }
}

import Testing
@testable import EarlyStopping

/// `PredictiveStoppingRule`: the smoothed probability, and each guard flipping a stop to continue.
struct PredictiveStoppingRuleTests {
    /// Steps 100, 200, ..., 100 n.
    static func steps(_ n: Int) -> [Double] { (1...n).map { Double($0) * 100 } }

    @Test func probabilityIsTheJeffreysSmoothedShareOfDrawsThatBeatTheTarget() throws {
        // 2 of 4 draws below 2.5: (2 + 1/2) / (4 + 1).
        #expect(PredictiveStoppingRule.probability(of: [1, 2, 3, 4], beating: 2.5, direction: .minimize) == 0.5)
        // None of 4000: 0.5 / 4001, small but not an impossible 0; all of 3: 3.5 / 4.
        let none = try #require(PredictiveStoppingRule.probability(of: Array(repeating: 9, count: 4000), beating: 1, direction: .minimize))
        #expect(abs(none - 0.5 / 4001) < 1e-15)
        #expect(PredictiveStoppingRule.probability(of: [1, 1, 1], beating: 2, direction: .minimize) == 3.5 / 4)
        // Equal to the target does not beat it.
        #expect(PredictiveStoppingRule.probability(of: [2, 2, 2], beating: 2, direction: .minimize) == 0.5 / 4)
        // Maximize counts the draws above: 4 beats 3.5, so 1.5 / 5.
        let up = try #require(PredictiveStoppingRule.probability(of: [1, 2, 3, 4], beating: 3.5, direction: .maximize))
        #expect(abs(up - 0.3) < 1e-15)
        // Non-finite draws are left out of both counts: [1, 5] with 1 beating 2.
        #expect(PredictiveStoppingRule.probability(of: [1, .nan, .infinity, 5], beating: 2, direction: .minimize) == 0.5)
        #expect(PredictiveStoppingRule.probability(of: [], beating: 2, direction: .minimize) == nil)
        #expect(PredictiveStoppingRule.probability(of: [.nan, -.infinity], beating: 2, direction: .minimize) == nil)
    }

    /// Draws that all miss a target of 1 (p = 0.5 / 101), 12 points, diagnostics pass, one vote
    /// carried: every guard passes, so the rule stops. Each test below changes one input.
    let misses = Array(repeating: 2.0, count: 100)
    let rule = PredictiveStoppingRule(threshold: 0.05, minimumPoints: 10, warmupSteps: 0, consecutiveVotes: 2)

    func decide(_ rule: PredictiveStoppingRule? = nil, draws: [Double]? = nil, points: Int = 12,
                diagnosticsPass: Bool = true, previousVotes: Int = 1) -> StoppingDecision {
        (rule ?? self.rule).decide(horizonDraws: draws ?? misses, target: 1, direction: .minimize,
                                   observedSteps: Self.steps(points), diagnosticsPass: diagnosticsPass,
                                   previousStopVotes: previousVotes)
    }

    @Test func stopsWhenEveryGuardPasses() {
        let d = decide()
        #expect(d.verdict == .stop)
        #expect(d.stopVotes == 2)
        #expect(d.probability == 0.5 / 101)
        #expect(d.reason.contains("for 2 consecutive evaluation(s)"))
    }

    @Test func tooFewPointsContinues() {
        let d = decide(points: 9)
        #expect(d.verdict == .continue && d.stopVotes == 0)
        #expect(d.reason.contains("too early: 9 point(s)"))
        #expect(decide(points: 10).verdict == .stop)
    }

    @Test func pointsInTheWarmupDoNotCount() {
        var warm = rule
        warm.warmupSteps = 300  // steps 100, 200, 300 are ignored: 9 of 12 count
        let d = decide(warm)
        #expect(d.verdict == .continue && d.reason.contains("9 point(s) after the warmup"))
        warm.warmupSteps = 200  // 10 count
        #expect(decide(warm).verdict == .stop)
    }

    @Test func failedDiagnosticsNeverStop() {
        let d = decide(diagnosticsPass: false)
        #expect(d.verdict == .continue && d.stopVotes == 0)
        #expect(d.reason.contains("diagnostics"))
    }

    @Test func aFirstStopVoteIsNotEnoughWithTwoConsecutiveVotes() {
        let first = decide(previousVotes: 0)
        #expect(first.verdict == .continue)
        #expect(first.stopVotes == 1)
        #expect(first.reason.contains("stop vote 1 of 2"))
        // Feeding the carried vote back in stops at the next evaluation.
        #expect(decide(previousVotes: first.stopVotes).verdict == .stop)
        // One vote needed: the first stops; k = 0 means 1.
        var eager = rule
        eager.consecutiveVotes = 1
        #expect(decide(eager, previousVotes: 0).verdict == .stop)
        eager.consecutiveVotes = 0
        #expect(decide(eager, previousVotes: 0).verdict == .stop)
    }

    @Test func theThresholdDecidesTheVote() {
        // 1 of 9 draws beats the target: p = 1.5 / 10 = 0.15.
        let draws = [0.5] + Array(repeating: 2.0, count: 8)
        var strict = rule
        strict.threshold = 0.1
        let kept = decide(strict, draws: draws)
        #expect(kept.verdict == .continue && kept.stopVotes == 0)
        #expect(kept.reason.contains(">= threshold 0.1"))
        strict.threshold = 0.2
        #expect(decide(strict, draws: draws).verdict == .stop)
    }

    @Test func noFiniteDrawsContinue() {
        let d = decide(draws: [.nan, .infinity])
        #expect(d.verdict == .continue && d.probability == nil)
        #expect(d.reason.contains("no finite forecast draws"))
    }

    @Test func maximizeStopsRunsThatCannotReachTheTarget() {
        let accuracy = Array(repeating: 0.7, count: 50)
        let low = rule.decide(horizonDraws: accuracy, target: 0.8, direction: .maximize, observedSteps: Self.steps(12),
                              diagnosticsPass: true, previousStopVotes: 1)
        #expect(low.verdict == .stop)
        let high = rule.decide(horizonDraws: accuracy, target: 0.6, direction: .maximize, observedSteps: Self.steps(12),
                               diagnosticsPass: true, previousStopVotes: 1)
        #expect(high.verdict == .continue && high.stopVotes == 0)
    }
}

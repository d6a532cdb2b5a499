import Testing
@testable import EarlyStopping

/// `ExpectedImprovementRule`: EI by hand, the per-step rate against the exchange rate, and how it
/// differs from the probability rule.
struct ExpectedImprovementRuleTests {
    static let steps = (1...12).map { Double($0) * 100 }

    @Test func expectedImprovementIsTheMeanPositivePartOfTheGain() {
        // Minimize, target 2.5: gains 1.5, 0.5, 0, 0.
        #expect(ExpectedImprovementRule.expectedImprovement(of: [1, 2, 3, 4], over: 2.5, direction: .minimize) == 0.5)
        // Maximize: gains 0, 0, 0.5, 1.5.
        #expect(ExpectedImprovementRule.expectedImprovement(of: [1, 2, 3, 4], over: 2.5, direction: .maximize) == 0.5)
        #expect(ExpectedImprovementRule.expectedImprovement(of: [3, 4], over: 2.5, direction: .minimize) == 0)
        // Non-finite draws are left out: [1, 4] -> (1.5 + 0) / 2.
        #expect(ExpectedImprovementRule.expectedImprovement(of: [1, .nan, 4, -.infinity], over: 2.5, direction: .minimize) == 0.75)
        #expect(ExpectedImprovementRule.expectedImprovement(of: [.nan], over: 2.5, direction: .minimize) == nil)
    }

    func decide(_ rule: ExpectedImprovementRule, draws: [Double] = [1, 2, 3, 4], target: Double = 2.5,
                current: Double = 500, horizon: Double = 1000, diagnosticsPass: Bool = true) -> StoppingDecision {
        rule.decide(horizonDraws: draws, target: target, direction: .minimize, currentStep: current, horizon: horizon,
                    observedSteps: Self.steps, diagnosticsPass: diagnosticsPass, previousStopVotes: 0)
    }

    @Test func stopsWhenTheGainPerRemainingStepIsBelowTheExchangeRate() {
        // EI = 0.5 over 500 remaining steps: 0.001 per step.
        let cheap = ExpectedImprovementRule(minimumGainPerStep: 0.002, consecutiveVotes: 1)
        let stop = decide(cheap)
        #expect(stop.verdict == .stop)
        #expect(stop.expectedImprovement == 0.5)
        #expect(stop.probability == 0.5)
        #expect(stop.reason.contains("0.001 per step < 0.002"))
        let valuable = ExpectedImprovementRule(minimumGainPerStep: 0.0005, consecutiveVotes: 1)
        #expect(decide(valuable).verdict == .continue)
        // Fewer remaining steps make the same EI worth more per step: 0.5 / 200 = 0.0025.
        #expect(decide(cheap, current: 800).verdict == .continue)
        // At the horizon there is nothing left to save.
        let done = decide(cheap, current: 1000)
        #expect(done.verdict == .continue && done.reason.contains("reached the horizon"))
    }

    @Test func sharesTheGuardsOfThePredictiveRule() {
        let cheap = ExpectedImprovementRule(minimumGainPerStep: 0.002, consecutiveVotes: 1)
        #expect(decide(cheap, diagnosticsPass: false).verdict == .continue)
        var early = cheap
        early.minimumPoints = 13
        #expect(decide(early).verdict == .continue)
        var patient = cheap
        patient.consecutiveVotes = 2
        let first = decide(patient)
        #expect(first.verdict == .continue && first.stopVotes == 1)
    }

    @Test func weighsHowMuchARunCouldWinNotOnlyHowLikely() {
        let target = 3.0
        // Likely to win, by almost nothing: P = 60.5 / 101, EI = 0.6 * 1e-5.
        let crumbs = Array(repeating: target - 1e-5, count: 60) + Array(repeating: target + 1, count: 40)
        // Unlikely to win, by a lot: P = 3.5 / 101 < 0.05, EI = 0.03.
        let longShot = Array(repeating: target - 1, count: 3) + Array(repeating: target + 1, count: 97)
        let ei = ExpectedImprovementRule(minimumGainPerStep: 1e-6, consecutiveVotes: 1)
        let p = PredictiveStoppingRule(threshold: 0.05, consecutiveVotes: 1)
        func probabilityRule(_ draws: [Double]) -> StoppingDecision.Verdict {
            p.decide(horizonDraws: draws, target: target, direction: .minimize, observedSteps: Self.steps, diagnosticsPass: true).verdict
        }
        // 1000 remaining steps: crumbs gain 6e-9 per step, the long shot 3e-5.
        #expect(decide(ei, draws: crumbs, target: target, current: 1000, horizon: 2000).verdict == .stop)
        #expect(probabilityRule(crumbs) == .continue)
        #expect(decide(ei, draws: longShot, target: target, current: 1000, horizon: 2000).verdict == .continue)
        #expect(probabilityRule(longShot) == .stop)
    }
}

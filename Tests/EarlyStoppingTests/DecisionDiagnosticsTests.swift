import Testing
import CurveModels
@testable import EarlyStopping

/// `DecisionDiagnostics`: chains that disagree on the vote, or too many divergences, block a stop.
struct DecisionDiagnosticsTests {
    let rule = PredictiveStoppingRule(threshold: 0.05, minimumPoints: 1, consecutiveVotes: 1)

    /// Two chains of 100 draws; `beating` draws of each beat the target of 1 (the rest are 2).
    func draws(_ beating: [Int]) -> [Double] {
        beating.flatMap { k in Array(repeating: 0.5, count: k) + Array(repeating: 2.0, count: 100 - k) }
    }

    func assess(_ beating: [Int], lengths: [Int]? = [100, 100], divergenceRate: Double = 0, strict: Bool = false) -> DecisionDiagnostics {
        DecisionDiagnostics.assess(draws: draws(beating), chainLengths: lengths, divergenceRate: divergenceRate,
                                   strictPass: strict) { rule.votesStop($0, target: 1, direction: .minimize) }
    }

    @Test func chainsThatAgreePassEvenIfTheStrictTestFails() {
        // 1 and 3 of 100 beat: p = 1.5 / 101 and 3.5 / 101, both < 0.05, as is the pooled 4.5 / 201.
        let d = assess([1, 3])
        #expect(d.chainVotes == [true, true] && d.pooledVote)
        #expect(d.pass && d.problems.isEmpty)
    }

    @Test func aChainThatAloneWouldVoteOtherwiseBlocksTheStop() {
        // Pooled 9.5 / 201 = 0.047 says stop, but the second chain alone has 8.5 / 101 = 0.084.
        let d = assess([1, 8])
        #expect(d.pooledVote && d.chainVotes == [true, false])
        #expect(!d.pass)
        #expect(d.problems == ["1 of 2 chains alone would vote continue"])
        // Through the rule: continue, for the diagnostics.
        let decision = rule.decide(horizonDraws: draws([1, 8]), target: 1, direction: .minimize, observedSteps: [1, 2],
                                   diagnosticsPass: d.pass)
        #expect(decision.verdict == .continue && decision.reason.contains("diagnostics"))
    }

    @Test func tooManyDivergencesBlockTheStop() {
        #expect(assess([0, 0], divergenceRate: 0.02).pass)
        let d = assess([0, 0], divergenceRate: 0.03)
        #expect(!d.pass && d.problems == ["3.0% of transitions diverged (at most 2.0%)"])
        #expect(!assess([0, 0], divergenceRate: .nan).pass)
    }

    @Test func aLoneChainIsCheckedByItsTwoHalves() {
        // One chain of 200: its first half has 1 draw beating, its second 8 (as two chains above).
        let d = assess([1, 8], lengths: [200])
        #expect(d.chainVotes == [true, false] && d.pooledVote && !d.pass)
        #expect(d.problems == ["1 of 2 chains alone would vote continue"])
        #expect(assess([1, 3], lengths: [200]).pass)
    }

    @Test func drawsThatCannotBeSplitByChainAreJudgedByTheStrictTest() {
        #expect(!assess([1, 3], lengths: nil, strict: false).pass)
        #expect(assess([1, 3], lengths: nil, strict: true).pass)
        // Lengths that do not add up to the draws cannot split them either.
        #expect(assess([1, 3], lengths: [100, 50], strict: false).chainVotes == nil)
    }

    @Test func theReplayStopsOnlyWhereTheChainsAgree() throws {
        // Runs a (final 1) and b (final 2); 1 and 8 of b's 2 x 100 draws beat a's final: the pool
        // (9.5 / 201 = 0.047) votes stop at 0.05, the second chain alone (8.5 / 101 = 0.084) does not.
        struct SplitForecaster: ReplayForecaster {
            func forecast(steps: [Double], values: [Double], schedule: LearningRateSchedule?, horizon: Double) -> ReplayForecast? {
                let last = values[values.count - 1]
                guard last == 2 else { return ReplayForecast(draws: [last], strictDiagnosticsPass: true) }
                let chain1 = Array(repeating: 0.5, count: 1) + Array(repeating: 2.0, count: 99)
                let chain2 = Array(repeating: 0.5, count: 8) + Array(repeating: 2.0, count: 92)
                return ReplayForecast(draws: chain1 + chain2, chainLengths: [100, 100], strictDiagnosticsPass: false)
            }
        }
        let population = try flatPopulation(["a": 1, "b": 2], order: ["a", "b"])
        let grid = ReplayCheckpoints(minimumPoints: 2, warmupSteps: 0, growth: 1.5)
        let table = ReplayForecastTable.build(population, checkpoints: grid, forecaster: SplitForecaster())
        let rule = PredictiveStoppingRule(threshold: 0.05, minimumPoints: 2, consecutiveVotes: 1)
        #expect(ReplaySimulator.simulate(PredictiveReplayRule(rule: rule, table: table), population: population, order: [0, 1]).computeFraction == 1)
        var eager = rule
        eager.threshold = 0.1  // both chains (1.5 / 101, 8.5 / 101) now vote stop: b stops at its first checkpoint
        #expect(ReplaySimulator.simulate(PredictiveReplayRule(rule: eager, table: table), population: population, order: [0, 1]).computeFraction == share([1000, 200], of: 2000))
    }
}

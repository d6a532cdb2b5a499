import Testing
import CurveModels
@testable import EarlyStopping

/// The replay's accounting on three flat runs (steps 100 ... 1000, finals a = 1, b = 2, c = 3)
/// with forecasters whose answers are known, so compute and regret follow by hand.
struct ReplaySimulatorTests {
    let grid = ReplayCheckpoints(minimumPoints: 2, warmupSteps: 0, growth: 1.5)  // checkpoints at 200, 300, 400, 600, 900
    let rule = PredictiveStoppingRule(threshold: 0.05, minimumPoints: 2, warmupSteps: 0, consecutiveVotes: 2)

    func population() throws -> ReplayPopulation {
        try flatPopulation(["a": 1, "b": 2, "c": 3], order: ["a", "b", "c"])
    }

    func outcome(_ order: [Int], forecaster: some ReplayForecaster) throws -> ReplayOutcome {
        let population = try population()
        let table = ReplayForecastTable.build(population, checkpoints: grid, forecaster: forecaster)
        return ReplaySimulator.simulate(PredictiveReplayRule(rule: rule, table: table), population: population, order: order)
    }

    @Test func bestFirstStopsTheOthersAtTheirSecondCheckpoint() throws {
        // a finishes (1000 steps); b and c forecast 2 and 3 > 1: votes at 200 and 300, stop at 300.
        let o = try outcome([0, 1, 2], forecaster: OracleForecaster())
        #expect(o.computeFraction == share([1000, 300, 300], of: 3000))
        #expect(o.regret == 0)
        #expect(o.stoppedRuns == 2)
    }

    @Test func worstFirstTrainsEverything() throws {
        // Every run beats the incumbent before it: nothing is stopped.
        let o = try outcome([2, 1, 0], forecaster: OracleForecaster())
        #expect(o.computeFraction == 1)
        #expect(o.regret == 0 && o.stoppedRuns == 0)
        // b first, then a beats it, c is stopped at 300.
        let mixed = try outcome([1, 0, 2], forecaster: OracleForecaster())
        #expect(mixed.computeFraction == share([1000, 1000, 300], of: 3000))
    }

    @Test func stoppingTheBestRunCostsItsMarginAsRegret() throws {
        // The forecaster thinks a will end at 5: after b finishes (2), a is stopped, c too;
        // the best finished is b, 1 worse than a.
        let o = try outcome([1, 0, 2], forecaster: OracleForecaster(biasedValue: 1, bias: 4))
        #expect(o.regret == 1)
        #expect(o.computeFraction == share([1000, 300, 300], of: 3000))
    }

    @Test func failedFitsNeverStop() throws {
        #expect(try outcome([0, 1, 2], forecaster: OracleForecaster(diagnosticsPass: false)).computeFraction == 1)
        #expect(try outcome([0, 1, 2], forecaster: FailingForecaster()).computeFraction == 1)
    }

    @Test func oneVoteStopsAtTheFirstCheckpoint() throws {
        let population = try population()
        let table = ReplayForecastTable.build(population, checkpoints: grid, forecaster: OracleForecaster())
        var eager = rule
        eager.consecutiveVotes = 1
        let o = ReplaySimulator.simulate(PredictiveReplayRule(rule: eager, table: table), population: population, order: [0, 1, 2])
        #expect(o.computeFraction == share([1000, 200, 200], of: 3000))
    }

    @Test func aStopVoteIsConfirmedAtTheNextPointNotTheNextCheckpoint() throws {
        // Checkpoints 2x apart (200, 400, 800): b and c vote stop at 200 and confirm at 300.
        let population = try population()
        let sparse = ReplayCheckpoints(minimumPoints: 2, warmupSteps: 0, growth: 2)
        let table = ReplayForecastTable.build(population, checkpoints: sparse, forecaster: OracleForecaster())
        #expect(table.checkpoints[1] == [1, 3, 7])
        let o = ReplaySimulator.simulate(PredictiveReplayRule(rule: rule, table: table), population: population, order: [0, 1, 2])
        #expect(o.computeFraction == share([1000, 300, 300], of: 3000))
        // The confirmation points were fitted when first needed.
        #expect(table.isFitted(run: 1, index: 2) && table.fitCount == 9 + 2)
        // A vote that is not confirmed returns to the checkpoints: with a forecaster that puts b
        // below a's final only at 300 (index 2), b's vote at 200 is not confirmed, and it is next
        // looked at at 400, where it votes again, then confirms at 500.
        struct Wavering: ReplayForecaster {
            func forecast(steps: [Double], values: [Double], schedule: LearningRateSchedule?, horizon: Double) -> ReplayForecast? {
                let last = values[values.count - 1]
                let centre = last == 2 && steps.count == 3 ? 0.5 : last
                return ReplayForecast(draws: Array(repeating: centre, count: 10), strictDiagnosticsPass: true)
            }
        }
        let wavering = ReplayForecastTable.build(population, checkpoints: sparse, forecaster: Wavering())
        let w = ReplaySimulator.simulate(PredictiveReplayRule(rule: rule, table: wavering), population: population, order: [0, 1])
        #expect(w.computeFraction == share([1000, 500], of: 2000))
    }

    @Test func ordersArePermutationsFixedBySeedAndStream() {
        let five = ReplaySimulator.orders(count: 5, runs: 6, seed: 1)
        for order in five { #expect(order.sorted() == Array(0..<6)) }
        #expect(five == ReplaySimulator.orders(count: 5, runs: 6, seed: 1))
        // Order k does not depend on how many are drawn.
        #expect(Array(five.prefix(3)) == ReplaySimulator.orders(count: 3, runs: 6, seed: 1))
        #expect(Set(five).count > 1)
        #expect(five != ReplaySimulator.orders(count: 5, runs: 6, seed: 2))
    }

    @Test func populationsAreCutAtTheShortestRun() throws {
        let p = try ReplayPopulation(name: "p", runs: [
            ("long", [100, 200, 300, 400], [4, 3, 2, 1]),
            ("short", [100, 250], [5, 4]),
        ])
        #expect(p.horizon == 250)
        #expect(p.runs[0].steps == [100, 200] && p.runs[0].finalValue == 3)
        #expect(p.bestRunIndex == 0 && p.bestFinalValue == 3)
        #expect(throws: ReplayPopulation.PopulationError.noPointBeforeHorizon(population: "p", run: "late", horizon: 250)) {
            try ReplayPopulation(name: "p", runs: [("early", [100, 250], [1, 1]), ("late", [300, 400], [1, 1])], horizon: 250)
        }
        #expect(throws: ReplayPopulation.PopulationError.noRuns("none")) { try ReplayPopulation(name: "none", runs: []) }
    }
}

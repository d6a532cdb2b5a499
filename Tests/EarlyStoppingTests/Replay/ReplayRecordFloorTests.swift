import Testing
@testable import EarlyStopping

/// The record floor on populations small enough to count the records by hand.
struct ReplayRecordFloorTests {
    @Test func recordsAreTheRunsBetterThanEveryEarlierOne() {
        // Finals a = 1, b = 2, c = 3 (lower is better).
        let finals = [1.0, 2, 3]
        #expect(ReplayRecordFloor.records(finals: finals, order: [2, 1, 0], direction: .minimize) == [0, 1, 2])
        #expect(ReplayRecordFloor.records(finals: finals, order: [0, 1, 2], direction: .minimize) == [0])
        #expect(ReplayRecordFloor.records(finals: finals, order: [1, 0, 2], direction: .minimize) == [0, 1])
        #expect(ReplayRecordFloor.records(finals: finals, order: [0, 1, 2], direction: .maximize) == [0, 1, 2])
        // A tie with the incumbent is not a record.
        #expect(ReplayRecordFloor.records(finals: [2, 2, 1], order: [0, 1, 2], direction: .minimize) == [0, 2])
    }

    @Test func unequalRunsAreChargedTheirOwnLength() {
        // a = 1 costs 100, b = 2 costs 200, c = 3 costs 300 (600 in all).
        // c, b, a: all three are records, 600 / 600; a, b, c: only a, 100 / 600;
        // b, a, c: b and a, 300 / 600. A count of records would say 1, 1/3 and 2/3 instead.
        let finals = [1.0, 2, 3], costs = [100.0, 200, 300]
        func floor(_ order: [Int]) -> Double {
            ReplayRecordFloor.fraction(finals: finals, costs: costs, order: order, direction: .minimize)
        }
        #expect(floor([2, 1, 0]) == 1)
        #expect(floor([0, 1, 2]) == 100.0 / 600)
        #expect(floor([1, 0, 2]) == 300.0 / 600)
    }

    @Test func overEveryOrderTheMeanIsTheHarmonicShare() throws {
        // The 6 orders of 3 equal runs: a b c and a c b have 1 record (a), b a c, b c a and c a b
        // have 2 (b or c, then a), c b a has 3: 11 in all, a mean floor of 11 / 18 = H_3 / 3.
        let population = try flatPopulation(["a": 1, "b": 2, "c": 3], order: ["a", "b", "c"])
        let all = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        let floors = ReplayRecordFloor.fractions(population, orders: all)
        for (floor, records) in zip(floors, [1.0, 1, 2, 2, 2, 3]) { #expect(abs(floor - records / 3) < 1e-15) }
        let mean = floors.reduce(0, +) / 6
        #expect(abs(mean - 11.0 / 18) < 1e-15)
        #expect(abs(ReplayRecordFloor.expectedShare(runs: 3) - 11.0 / 18) < 1e-15)
        #expect(ReplayRecordFloor.expectedShare(runs: 2) == 0.75)
        #expect(abs(ReplayRecordFloor.expectedShare(runs: 4) - 25.0 / 48) < 1e-15)
    }

    @Test func theReportShowsTheFloorOfTheReplayedOrders() throws {
        // Orders of seed 1 over the 3 flat runs; the oracle rule stops every non-record at its
        // second checkpoint, so its compute is above the floor by exactly those stops.
        let population = try flatPopulation(["a": 1, "b": 2, "c": 3], order: ["a", "b", "c"])
        var experiment = ReplayExperiment()
        experiment.orders = 8
        // The oracle's 10 draws give P = 0.5 / 11 = 0.045 for a run that cannot win: below 0.05.
        experiment.thresholds = [0.05]
        experiment.rule = PredictiveStoppingRule(threshold: 0.05, minimumPoints: 2, warmupSteps: 0, consecutiveVotes: 2)
        let table = ReplayForecastTable.build(population, checkpoints: experiment.checkpoints(growth: 1.5),
                                              forecaster: OracleForecaster())
        let report = experiment.run(population, table: table)
        let orders = ReplaySimulator.orders(count: 8, runs: 3, seed: 1)
        let records = orders.map { ReplayRecordFloor.records(finals: [1, 2, 3], order: $0, direction: .minimize).count }
        #expect(report.recordFloors == records.map { Double($0) / 3 })
        // Every non-record is stopped at step 300 of 1000.
        let oracle = report.predictiveRows[0]
        for (outcome, n) in zip(oracle.outcomes, records) {
            #expect(abs(outcome.computeFraction - (Double(n) * 1000 + Double(3 - n) * 300) / 3000) < 1e-15)
        }
        #expect(report.table().contains("record floor"))
    }
}

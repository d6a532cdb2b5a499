import Testing
@testable import EarlyStopping

/// The experiment's rows and the targets' verdicts.
struct ReplayReportTests {
    func summary(_ rule: String, compute: [Double], regret: [Double]) -> ReplayRuleSummary {
        ReplayRuleSummary(rule: rule, outcomes: zip(compute, regret).map {
            ReplayOutcome(computeFraction: $0, regret: $1, stoppedRuns: 0)
        })
    }

    func report(_ rows: [ReplayRuleSummary]) -> ReplayPopulationReport {
        ReplayPopulationReport(name: "p", horizon: 100, runIDs: ["a", "b"], bestRun: "a", bestFinalValue: 1, orders: 2,
                               fits: 4, strictFailureShare: 0.25, divergenceFailureShare: 0, fitSeconds: 1, rules: rows)
    }

    @Test func summariesAverageAndMaximiseOverOrders() {
        let s = summary("predictive p < 0.05", compute: [0.2, 0.6], regret: [0, 0.3])
        #expect(abs(s.computeMean - 0.4) < 1e-15 && s.computeMax == 0.6)
        #expect(s.regretMean == 0.15 && s.regretMax == 0.3)
        #expect(s.zeroRegretShare == 0.5)
    }

    @Test func targetsMetWhenCheapAtZeroRegretAndCheaperThanBaselinesAtNoMoreRegret() {
        let r = report([
            summary("predictive p < 0.01", compute: [0.5, 0.5], regret: [0, 0]),
            summary("predictive p < 0.05", compute: [0.3, 0.4], regret: [0, 0]),
            summary("predictive p < 0.1", compute: [0.2, 0.2], regret: [0, 0.1]),
            summary("median rule", compute: [0.6, 0.6], regret: [0, 0]),
            summary("successive halving (eta 3)", compute: [0.25, 0.25], regret: [0.1, 0.1]),
        ])
        #expect(r.cheapestZeroRegretPredictive?.rule == "predictive p < 0.05")
        #expect(r.meetsComputeTarget)
        #expect(r.comparison(with: r.baselineRows[0]) == .better)
        // p < 0.1 has no more regret than halving (0.05 <= 0.1 mean, 0.1 <= 0.1 max) and less compute.
        #expect(r.comparison(with: r.baselineRows[1]) == .better)
        #expect(r.meetsTargets)
        #expect(r.table().contains("=> met"))
    }

    @Test func targetsNotMetAreSaidSo() {
        let r = report([
            summary("predictive p < 0.05", compute: [0.6, 0.6], regret: [0, 0]),
            summary("predictive p < 0.1", compute: [0.3, 0.3], regret: [0.2, 0.2]),
            summary("median rule", compute: [0.5, 0.5], regret: [0, 0]),
            summary("successive halving (eta 3)", compute: [0.2, 0.2], regret: [0.1, 0.1]),
        ])
        #expect(!r.meetsComputeTarget)
        // At zero regret the predictive rule spends 0.6 > 0.5 of the median rule.
        #expect(r.comparison(with: r.baselineRows[0]) == .notBetter)
        #expect(r.comparison(with: r.baselineRows[1]) == .notBetter)
        let worse = report([summary("predictive p < 0.05", compute: [0.1, 0.1], regret: [0.3, 0.3]),
                            summary("median rule", compute: [0.5, 0.5], regret: [0, 0])])
        #expect(worse.cheapestZeroRegretPredictive == nil)
        #expect(worse.comparison(with: worse.baselineRows[0]) == .moreRegret)
        #expect(worse.table().contains("=> not met"))
    }

    @Test func theExperimentRunsEveryRuleOnTheSameOrders() throws {
        let population = try flatPopulation(["a": 1, "b": 2, "c": 3], order: ["a", "b", "c"])
        var experiment = ReplayExperiment()
        experiment.rule = PredictiveStoppingRule(minimumPoints: 2, consecutiveVotes: 2)
        experiment.orders = 6
        let table = ReplayForecastTable.build(population, checkpoints: experiment.checkpoints(growth: 1.5),
                                              forecaster: OracleForecaster())
        let r = experiment.run(population, table: table)
        #expect(r.rules.map(\.rule) == ["predictive p < 0.01", "predictive p < 0.05", "predictive p < 0.1",
                                        "median rule", "successive halving (eta 3)"])
        #expect(r.fits >= 15 && r.bestRun == "a" && r.orders == 6)
        // Each row's outcomes are the simulations on the orders drawn from the seed.
        let orders = ReplaySimulator.orders(count: 6, runs: 3, seed: 1)
        let p05 = PredictiveReplayRule(rule: PredictiveStoppingRule(threshold: 0.05, minimumPoints: 2), table: table)
        #expect(r.rules[1].outcomes == orders.map { ReplaySimulator.simulate(p05, population: population, order: $0) })
        // p < 0.01 never stops (0.5 / 11 = 0.045 >= 0.01); the oracle at 0.05 and 0.1 never regrets.
        #expect(r.rules[0].computeMean == 1)
        #expect(r.rules[1].regretMax == 0 && r.rules[1].computeMean < 1)
    }
}

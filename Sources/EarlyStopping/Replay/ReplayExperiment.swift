import Foundation

/// The replay experiment of issue 7: on one population, the predictive rule at several thresholds
/// next to the median stopping rule and successive halving, on the same random arrival orders.
public struct ReplayExperiment: Sendable {
    /// The thresholds of the predictive rule's rows (issue 7: 0.01, 0.05, 0.1).
    public static let defaultThresholds = [0.01, 0.05, 0.1]
    /// Random arrival orders per population.
    public static let defaultOrders = 20

    public var thresholds = ReplayExperiment.defaultThresholds
    /// The guards of the predictive rule (its threshold is replaced by each of `thresholds`);
    /// `minimumPoints` and `warmupSteps` also set when the baselines may first stop a run.
    public var rule = PredictiveStoppingRule()
    public var orders = ReplayExperiment.defaultOrders
    public var seed: UInt64 = 1
    public var reductionFactor = SuccessiveHalving.defaultReductionFactor

    public init() {}

    /// The checkpoints the forecasts must be fitted at for this experiment.
    public func checkpoints(growth: Double = ReplayCheckpoints.defaultGrowth) -> ReplayCheckpoints {
        ReplayCheckpoints(minimumPoints: rule.minimumPoints, warmupSteps: rule.warmupSteps, growth: growth)
    }

    /// The rules of the report, in row order.
    public func rules(table: ReplayForecastTable) -> [any ReplayStoppingRule] {
        var rules: [any ReplayStoppingRule] = thresholds.map { threshold in
            var r = rule
            r.threshold = threshold
            return PredictiveReplayRule(rule: r, table: table)
        }
        rules.append(MedianStoppingRule(minimumPoints: rule.minimumPoints, warmupSteps: rule.warmupSteps))
        rules.append(SuccessiveHalving(reductionFactor: reductionFactor, minimumPoints: rule.minimumPoints,
                                       warmupSteps: rule.warmupSteps))
        return rules
    }

    /// Simulates every rule on the same orders.
    public func run(_ population: ReplayPopulation, table: ReplayForecastTable) -> ReplayPopulationReport {
        let orders = ReplaySimulator.orders(count: orders, runs: population.runs.count, seed: seed)
        let rows = rules(table: table).map { rule in
            ReplayRuleSummary(rule: rule.name, outcomes: orders.map {
                ReplaySimulator.simulate(rule, population: population, order: $0)
            })
        }
        let best = population.runs[population.bestRunIndex]
        return ReplayPopulationReport(
            name: population.name, horizon: population.horizon, runIDs: population.runs.map(\.id),
            bestRun: best.id, bestFinalValue: best.finalValue, orders: orders.count,
            fits: table.usedFitCount, strictFailureShare: table.strictFailureShare,
            divergenceFailureShare: table.divergenceFailureShare,
            fitSeconds: table.seconds, rules: rows, recordFloors: ReplayRecordFloor.fractions(population, orders: orders))
    }
}

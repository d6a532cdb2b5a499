/// One rule's results over the simulated orders of a population.
public struct ReplayRuleSummary: Sendable {
    public let rule: String
    public let outcomes: [ReplayOutcome]

    public init(rule: String, outcomes: [ReplayOutcome]) {
        self.rule = rule
        self.outcomes = outcomes
    }

    public var computeMean: Double { mean(outcomes.map(\.computeFraction)) }
    public var computeMax: Double { outcomes.map(\.computeFraction).max() ?? .nan }
    public var regretMean: Double { mean(outcomes.map(\.regret)) }
    public var regretMax: Double { outcomes.map(\.regret).max() ?? .nan }
    /// Mean number of runs stopped per order.
    public var stoppedMean: Double { mean(outcomes.map { Double($0.stoppedRuns) }) }
    /// The share of orders in which the best run finished.
    public var zeroRegretShare: Double { mean(outcomes.map { $0.regret == 0 ? 1 : 0 }) }

    private func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }
}

/// The replay of one population: the rules' compute and regret, and the targets of issue 7.
public struct ReplayPopulationReport: Sendable {
    public let name: String
    public let horizon: Double
    public let runIDs: [String]
    /// The run with the best final value, and that value.
    public let bestRun: String
    public let bestFinalValue: Double
    public let orders: Int
    /// The fits the replay of this population used (made now or read from a cache); the shares
    /// that failed (or failed the strict all-parameter diagnostics) and that had too many
    /// divergences for any stop; the time they took to make.
    public let fits: Int
    public let strictFailureShare: Double
    public let divergenceFailureShare: Double
    public let fitSeconds: Double
    /// Predictive rule rows first (by threshold), then the baselines.
    public let rules: [ReplayRuleSummary]
    /// The record floor of each order (`ReplayRecordFloor`): the least compute at zero regret of
    /// a rule that never stops a run that would beat the incumbent.
    public var recordFloors: [Double] = []

    /// The record floor: its mean over the orders (NaN without orders).
    public var recordFloor: Double { recordFloors.isEmpty ? .nan : recordFloors.reduce(0, +) / Double(recordFloors.count) }
    /// The largest record floor of an order.
    public var recordFloorMax: Double { recordFloors.max() ?? .nan }

    /// The predictive rule's rows.
    public var predictiveRows: [ReplayRuleSummary] { rules.filter { $0.rule.hasPrefix("predictive") } }
    /// The baselines' rows (median rule, successive halving).
    public var baselineRows: [ReplayRuleSummary] { rules.filter { !$0.rule.hasPrefix("predictive") } }

    /// The cheapest predictive row with zero regret in every order, if any.
    public var cheapestZeroRegretPredictive: ReplayRuleSummary? {
        predictiveRows.filter { $0.regretMax == 0 }.min { $0.computeMean < $1.computeMean }
    }

    /// Target 1 of issue 7: at zero regret the predictive rule uses at most half the compute of
    /// training everything.
    public static let computeTarget = 0.5

    /// Target 1: a predictive row with zero regret in every order and mean compute <= 1/2.
    public var meetsComputeTarget: Bool {
        (cheapestZeroRegretPredictive?.computeMean ?? .infinity) <= Self.computeTarget
    }

    /// How the predictive rule compares with a baseline at equal regret.
    public enum Comparison: String, Sendable {
        /// A predictive row has no more regret (mean and max) and strictly less mean compute.
        case better
        /// Some predictive row has no more regret, but none of those uses less compute.
        case notBetter = "not better"
        /// Every predictive row has more regret than the baseline: no comparison at equal regret.
        case moreRegret = "more regret"
    }

    /// Target 2 for one baseline row.
    public func comparison(with baseline: ReplayRuleSummary) -> Comparison {
        let atMostAsMuchRegret = predictiveRows.filter {
            $0.regretMean <= baseline.regretMean && $0.regretMax <= baseline.regretMax
        }
        guard !atMostAsMuchRegret.isEmpty else { return .moreRegret }
        return atMostAsMuchRegret.contains { $0.computeMean < baseline.computeMean } ? .better : .notBetter
    }

    /// Both targets: the compute target, and better than every baseline at equal regret.
    public var meetsTargets: Bool {
        meetsComputeTarget && baselineRows.allSatisfy { comparison(with: $0) == .better }
    }
}

/// The replay of every population, with the settings that produced it.
public struct ReplayReport: Sendable {
    public let populations: [ReplayPopulationReport]
    /// Groups left out for having too few runs: (name, runs).
    public let tooSmall: [(name: String, runs: Int)]
    /// Lines describing the settings (sampler, guards, checkpoints, orders).
    public let settings: [String]
    public let seconds: Double

    public init(populations: [ReplayPopulationReport], tooSmall: [(name: String, runs: Int)], settings: [String], seconds: Double) {
        self.populations = populations
        self.tooSmall = tooSmall
        self.settings = settings
        self.seconds = seconds
    }
}

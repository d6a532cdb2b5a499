import CurveModels

/// One run of a replay population: its logged points up to the population's horizon, and its
/// planned learning-rate schedule.
public struct ReplayRun: Sendable, Equatable {
    public let id: String
    /// Logged steps at or before the horizon, increasing.
    public let steps: [Double]
    public let values: [Double]
    /// The run's planned schedule (declared in the manifest, or its logged lr column), covering
    /// the steps not revealed yet: a forecast at the horizon follows it (nil: none known).
    public var schedule: LearningRateSchedule? = nil

    /// The run's final value: the value logged at the horizon, or the last logged before it.
    public var finalValue: Double { values[values.count - 1] }
}

/// Runs of one study compared at a common horizon H (the planned last step): what the replay
/// simulator trains, stops and scores.
///
/// H defaults to the smallest last logged step among the runs, so that every run has a final
/// value at H (the gemstones half-lr runs end at step 23,840, the constant-LR ones at 83,475; a
/// population of both is compared at 23,840). Each run keeps the points at steps <= H; its final
/// value is the last of them.
public struct ReplayPopulation: Sendable {
    public let name: String
    public let horizon: Double
    public let direction: OptimizationDirection
    public let runs: [ReplayRun]

    public enum PopulationError: Error, Equatable, CustomStringConvertible {
        case noRuns(String)
        case noPointBeforeHorizon(population: String, run: String, horizon: Double)
        case mismatchedLengths(population: String, run: String)

        public var description: String {
            switch self {
            case .noRuns(let name): return "population \(name): no runs"
            case .noPointBeforeHorizon(let name, let run, let h):
                return "population \(name): run \(run) has no point at or before the horizon \(h); drop it or choose a later horizon"
            case .mismatchedLengths(let name, let run):
                return "population \(name): run \(run) has different numbers of steps and values"
            }
        }
    }

    /// - Parameters:
    ///   - runs: (id, steps increasing, values) per run;
    ///   - horizon: the common horizon; nil: the smallest last step among the runs;
    ///   - schedules: the runs' planned learning-rate schedules, by id (runs without one have none).
    public init(name: String, runs: [(id: String, steps: [Double], values: [Double])], horizon: Double? = nil,
                direction: OptimizationDirection = .minimize,
                schedules: [String: LearningRateSchedule] = [:]) throws(PopulationError) {
        guard !runs.isEmpty else { throw .noRuns(name) }
        for run in runs where run.steps.count != run.values.count || run.steps.isEmpty {
            throw .mismatchedLengths(population: name, run: run.id)
        }
        let h = horizon ?? runs.map { $0.steps[$0.steps.count - 1] }.min()!
        var kept: [ReplayRun] = []
        for run in runs {
            let n = run.steps.lastIndex { $0 <= h }.map { $0 + 1 } ?? 0
            guard n > 0 else { throw .noPointBeforeHorizon(population: name, run: run.id, horizon: h) }
            kept.append(ReplayRun(id: run.id, steps: Array(run.steps[..<n]), values: Array(run.values[..<n]),
                                  schedule: schedules[run.id]))
        }
        self.name = name
        self.horizon = h
        self.direction = direction
        self.runs = kept
    }

    /// The index of the run with the best final value (the first of equals).
    public var bestRunIndex: Int {
        runs.indices.reduce(0) { best, r in direction.beats(runs[r].finalValue, runs[best].finalValue) ? r : best }
    }

    /// The best final value over all runs: what training everything finds.
    public var bestFinalValue: Double { runs[bestRunIndex].finalValue }

    /// The steps run r is charged when it finishes: the horizon, for every run (a run is trained
    /// to the common horizon even when its last logged point is a little before it). What
    /// `ReplaySimulator` and `ReplayRecordFloor` count compute with.
    public func fullTrainingSteps(of r: Int) -> Double { horizon }
}

import Sampling

/// What a stopping rule sees of a replayed study: the population and the runs processed so far.
public struct ReplayStudyState: Sendable {
    public let population: ReplayPopulation
    /// Runs processed so far, in arrival order: the run's index, the points it revealed, and
    /// whether it finished (trained to the horizon) or was stopped after its last revealed point.
    public private(set) var history: [(run: Int, revealed: Int, finished: Bool)] = []
    /// The best final value among finished runs (the target to beat); nil before one finishes.
    public private(set) var incumbent: Double?

    init(population: ReplayPopulation) { self.population = population }

    mutating func record(run r: Int, revealed: Int, finished: Bool) {
        history.append((r, revealed, finished))
        guard finished else { return }
        let final = population.runs[r].finalValue
        incumbent = incumbent.map { population.direction.best($0, final) } ?? final
    }

    /// The step a processed run was trained to: the horizon if it finished, else its last revealed step.
    func trainedStep(_ entry: (run: Int, revealed: Int, finished: Bool)) -> Double {
        entry.finished ? population.fullTrainingSteps(of: entry.run) : population.runs[entry.run].steps[entry.revealed - 1]
    }
}

/// A stopping rule as the replay drives it: told when a run starts, then asked after each
/// revealed point (except the run's last, where it has finished) whether to stop it there.
/// Rules are values: each simulated order starts from a fresh copy.
public protocol ReplayStoppingRule: Sendable {
    /// The row label in the report ("predictive p < 0.05", "median rule").
    var name: String { get }
    mutating func start(run r: Int, study: ReplayStudyState)
    mutating func shouldStop(run r: Int, after i: Int, study: ReplayStudyState) -> Bool
}

/// The result of one simulated order.
public struct ReplayOutcome: Sendable, Equatable {
    /// Steps trained over all runs / (runs x horizon); training everything is 1.
    public var computeFraction: Double
    /// How much worse the best finished run's final value is than the best final value overall
    /// (0 when the best run finished); NaN if no run finished.
    public var regret: Double
    /// Runs stopped before the horizon.
    public var stoppedRuns: Int
}

/// Replays a study: runs arrive one after another in a given order; each is revealed point by
/// point up to the horizon and the rule may stop it after any point; a run that is not stopped
/// finishes and its final value may become the incumbent. Runs are trained one at a time (a
/// sequential search, as in Domhan et al. 2015), so a rule sees every earlier run in full up to
/// where it ended, and nothing of later ones.
///
/// Accounting:
///
///     compute = sum_r trained_r / (R H),  trained_r = H if run r finished, else its stopping step
///     regret  = |best final overall - best final among finished runs|
///
/// A stopped run never becomes the incumbent, even if its last value was the best: its final
/// value is unknown to the study.
public enum ReplaySimulator {
    public static func simulate(_ rule: some ReplayStoppingRule, population: ReplayPopulation, order: [Int]) -> ReplayOutcome {
        var rule = rule
        var study = ReplayStudyState(population: population)
        var trained = 0.0, stopped = 0
        for r in order {
            let run = population.runs[r]
            rule.start(run: r, study: study)
            var revealed = run.steps.count, finished = true
            for i in 0..<(run.steps.count - 1) where rule.shouldStop(run: r, after: i, study: study) {
                revealed = i + 1
                finished = false
                break
            }
            study.record(run: r, revealed: revealed, finished: finished)
            trained += study.trainedStep(study.history[study.history.count - 1])
            if !finished { stopped += 1 }
        }
        let regret = study.incumbent.map { abs($0 - population.bestFinalValue) } ?? .nan
        let everything = order.reduce(0) { $0 + population.fullTrainingSteps(of: $1) }
        return ReplayOutcome(computeFraction: trained / everything,
                             regret: regret, stoppedRuns: stopped)
    }

    /// `count` random arrival orders of `runs` runs (Fisher-Yates with xoshiro256**, stream k for
    /// order k, so an order does not depend on how many others are drawn).
    public static func orders(count: Int, runs: Int, seed: UInt64) -> [[Int]] {
        (0..<count).map { k in
            var rng = Xoshiro256StarStar(seed: seed, stream: k)
            var order = Array(0..<runs)
            for i in stride(from: runs - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
            return order
        }
    }
}

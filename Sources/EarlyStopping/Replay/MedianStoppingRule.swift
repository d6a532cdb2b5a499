/// The median stopping rule of Google Vizier (Golovin et al. 2017, "Google Vizier: a service for
/// black-box optimization", KDD, section 3.2.2): stop a run at step s if its best value so far is
/// strictly worse than the median, over earlier runs, of their running averages up to s,
///
///     stop  iff  best_{t <= s} y(t)  is worse than  median_j  mean_{t <= s} y_j(t)
///
/// Choices where the paper is silent (documented in the README's replay section):
/// - the earlier runs are those already processed in the study that were trained at least to s
///   (finished, or stopped at or after s); the paper's "completed trials";
/// - at least `minimumReferenceRuns` of them (default 1, the paper's rule as written; Optuna's
///   MedianPruner waits for 5 and Ray Tune's for 3, which only makes the rule stop less);
/// - the same warmup as the predictive rule: no stop before `minimumPoints` points after
///   `warmupSteps`;
/// - it is evaluated after every logged point (it needs no fit, so it can afford to).
public struct MedianStoppingRule: ReplayStoppingRule {
    public var minimumPoints: Int
    public var warmupSteps: Double
    public var minimumReferenceRuns: Int
    /// prefixSums[r][k]: sum of run r's first k values (built at the first start).
    private var prefixSums: [[Double]] = []

    public init(minimumPoints: Int = 10, warmupSteps: Double = 0, minimumReferenceRuns: Int = 1) {
        self.minimumPoints = minimumPoints
        self.warmupSteps = warmupSteps
        self.minimumReferenceRuns = minimumReferenceRuns
    }

    public var name: String { "median rule" }

    /// The rule itself: whether `bestSoFar` is strictly worse than the median of `runningAverages`
    /// (the mean of the two middle values for an even count); false without references.
    public static func shouldStop(bestSoFar: Double, runningAverages: [Double], direction: OptimizationDirection) -> Bool {
        guard !runningAverages.isEmpty else { return false }
        let sorted = runningAverages.sorted()
        let n = sorted.count
        let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        return direction.beats(median, bestSoFar)
    }

    public mutating func start(run r: Int, study: ReplayStudyState) {
        guard prefixSums.isEmpty else { return }
        prefixSums = study.population.runs.map { run in
            var sums = [0.0]
            for v in run.values { sums.append(sums[sums.count - 1] + v) }
            return sums
        }
    }

    public mutating func shouldStop(run r: Int, after i: Int, study: ReplayStudyState) -> Bool {
        let population = study.population
        let run = population.runs[r]
        guard run.steps[...i].filter({ $0 > warmupSteps }).count >= minimumPoints else { return false }
        let s = run.steps[i]
        var averages: [Double] = []
        for entry in study.history where study.trainedStep(entry) >= s {
            let steps = population.runs[entry.run].steps
            // Points at or before s: a binary search for the first step after s.
            var lo = 0, hi = steps.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if steps[mid] <= s { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0 else { continue }
            averages.append(prefixSums[entry.run][lo] / Double(lo))
        }
        guard averages.count >= max(minimumReferenceRuns, 1) else { return false }
        let best = run.values[...i].reduce(run.values[0]) { population.direction.best($0, $1) }
        return Self.shouldStop(bestSoFar: best, runningAverages: averages, direction: population.direction)
    }
}

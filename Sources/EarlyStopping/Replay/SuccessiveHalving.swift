import Foundation

/// Successive halving (Jamieson & Talwalkar 2016, "Non-stochastic best arm identification and
/// hyperparameter optimization"; the bracket of Hyperband, Li et al. 2017) with reduction factor
/// eta, for runs that arrive one at a time: the asynchronous promotion rule of ASHA (Li et al.
/// 2020, "A system for massively parallel hyperparameter tuning", MLSys), in the form that stops
/// runs instead of pausing them (as Optuna's SuccessiveHalvingPruner does).
///
/// Rungs at r_k = H / eta^k, k = 1, 2, ..., from the first rung at or after the warmup (the step
/// at which every run has `minimumPoints` points after `warmupSteps`). When a run passes rung k
/// (its last logged point at or before r_k), its value there is recorded with the n - 1 values
/// recorded at that rung by earlier runs, and the run continues only if
///
///     value is among the best max(1, floor(n / eta)) of the n values at the rung
///
/// so the first run at a rung always continues, and from then on about one run in eta does.
/// ASHA proper would pause the others and resume them if later rungs stay empty; runs that cannot
/// be resumed are stopped, which is what stopping saves compute with.
public struct SuccessiveHalving: ReplayStoppingRule {
    /// The default reduction factor (Li et al. 2017, 2020).
    public static let defaultReductionFactor = 3.0

    public var reductionFactor: Double
    public var minimumPoints: Int
    public var warmupSteps: Double
    /// The rungs' steps, increasing (built at the first start).
    public private(set) var rungs: [Double] = []
    /// Values recorded at each rung.
    private var recorded: [[Double]] = []

    public init(reductionFactor: Double = SuccessiveHalving.defaultReductionFactor, minimumPoints: Int = 10, warmupSteps: Double = 0) {
        self.reductionFactor = reductionFactor
        self.minimumPoints = minimumPoints
        self.warmupSteps = warmupSteps
    }

    public var name: String { "successive halving (eta \(NumberText.short(reductionFactor)))" }

    /// H / eta^k for k = 1, 2, ... while >= earliest, increasing.
    public static func rungs(horizon: Double, reductionFactor eta: Double, earliest: Double) -> [Double] {
        guard eta > 1, horizon > 0 else { return [] }
        var result: [Double] = []
        var r = horizon / eta
        while r >= earliest, r > 0 {
            result.append(r)
            r /= eta
        }
        return result.reversed()
    }

    /// Whether a run with `value` at a rung continues, given the values recorded there before it.
    public static func promotes(_ value: Double, recorded: [Double], reductionFactor eta: Double,
                                direction: OptimizationDirection) -> Bool {
        let n = recorded.count + 1
        let kept = max(1, Int((Double(n) / eta).rounded(.down)))
        let better = recorded.filter { direction.beats($0, value) }.count
        return better < kept
    }

    public mutating func start(run r: Int, study: ReplayStudyState) {
        guard rungs.isEmpty, recorded.isEmpty else { return }
        let population = study.population
        let earliest = population.runs.map { run -> Double in
            let counted = run.steps.filter { $0 > warmupSteps }
            return counted.count >= minimumPoints ? counted[max(minimumPoints, 1) - 1] : .infinity
        }.max() ?? .infinity
        rungs = Self.rungs(horizon: population.horizon, reductionFactor: reductionFactor, earliest: earliest)
        recorded = Array(repeating: [], count: rungs.count)
    }

    public mutating func shouldStop(run r: Int, after i: Int, study: ReplayStudyState) -> Bool {
        let run = study.population.runs[r]
        let s = run.steps[i], next = run.steps[i + 1]
        var stop = false
        for (k, rung) in rungs.enumerated() where s <= rung && rung < next {
            let value = run.values[i]
            if !Self.promotes(value, recorded: recorded[k], reductionFactor: reductionFactor, direction: study.population.direction) {
                stop = true
            }
            recorded[k].append(value)
        }
        return stop
    }
}

/// Numbers in labels: "3", "0.05".
enum NumberText {
    static func short(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }
}

import CurveModels
import Foundation
import Sampling

/// Draws from the posterior predictive distribution of a curve's values at given steps.
///
/// For each posterior draw: the mean m(t) at the step's normalized time, plus noise drawn from
/// the fitted noise model on the observation scale:
/// - Gaussian: e ~ N(0, sigma);
/// - Student-t: e = sigma z / sqrt(chi2_nu / nu);
/// - AR(1): conditional on the draw's residual at the last fitted point, e_last, and the gap g to
///   it (in the fit's spacing units): e ~ N(rho^g e_last, s sqrt(1 - rho^(2g))) with the stationary
///   sd s = sigma / sqrt(1 - rho^2) (sigma is the innovation sd)
///   (`AR1LogLikelihood.predictive`); far ahead this is the stationary N(0, sigma).
///   For a run that was not fitted (a joint fit's forecast of another run) there is no residual
///   to condition on: e ~ N(0, s).
/// Values are mapped back to the original scale (value_ref * e^(log m + e) on the log scale).
public struct PredictiveDraws: Sendable {
    public let steps: [Double]
    /// values[j][k]: draw k at steps[j].
    public let values: [[Double]]

    public var drawCount: Int { values.first?.count ?? 0 }

    /// The median and the variance of the log of the positive draws at steps[j] (nil with 10
    /// or fewer positive draws): what an error on the log scale is compared with.
    public func logSummary(at j: Int) -> (median: Double, variance: Double)? {
        let logs = values[j].filter { $0 > 0 }.map { Foundation.log($0) }.sorted()
        guard logs.count > 10 else { return nil }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let variance = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(logs.count - 1)
        return (logs[logs.count / 2], variance)
    }

    public init(steps: [Double], values: [[Double]]) {
        precondition(steps.count == values.count, "PredictiveDraws: \(steps.count) steps, \(values.count) draw lists")
        self.steps = steps
        self.values = values
    }
}

/// Which run a forecast is for: a run of the fit (its schedule, and AR(1) noise conditioned on
/// its last fitted residual), or a run that was not fitted (a schedule of its own, e.g. a planned
/// one, and the noise's stationary distribution).
public struct ForecastTarget: Sendable {
    /// The schedule of the forecast run (its planned schedule for future steps); nil for models
    /// without schedule covariates.
    public var schedule: LearningRateSchedule?
    /// The index of the fitted run this is (`CurvePosterior.runs`), or nil for a run not fitted.
    public var fittedRun: Int?

    public init(schedule: LearningRateSchedule?, fittedRun: Int?) {
        self.schedule = schedule
        self.fittedRun = fittedRun
    }

    /// The posterior's first run (the only one of a single-curve fit), with its schedule.
    public static let firstRun = ForecastTarget(schedule: nil, fittedRun: 0)
}

extension CurveFit {
    /// Posterior predictive draws at `steps` (any steps, inside or beyond the data) of the
    /// posterior's first run (the fitted curve of a single-curve fit).
    public func predictive(at steps: [Double], seed: UInt64 = 7) throws -> PredictiveDraws {
        try predictive(at: steps, target: .firstRun, seed: seed)
    }

    /// Posterior predictive draws at `steps` of `target`: a fitted run (under `target.schedule`
    /// when given, e.g. a different plan for its future steps, else under the run's own), or a
    /// run that was not fitted, under `target.schedule`, with unconditional (stationary) noise.
    public func predictive(at steps: [Double], target: ForecastTarget, seed: UInt64 = 7) throws -> PredictiveDraws {
        let run = target.fittedRun.map { posterior.runs[$0] }
        let data = run?.data ?? posterior.data
        let schedule = target.schedule ?? run?.schedule
        let lastT = data.t[data.t.count - 1]
        var evaluator = try posterior.meanEvaluator(t: steps.map(data.normalized(step:)) + [lastT], schedule: schedule)
        let names = posterior.parameterNames
        let sigmaIndex = names.firstIndex(of: "sigma")!
        let rhoIndex = names.firstIndex(of: "rho")
        let nuIndex = names.firstIndex(of: "nu")
        let unitSpacing = data.normalization.spacing
        let lastObservation = data.observations[data.observations.count - 1]
        var rng = Xoshiro256StarStar(seed: seed)
        var values = Array(repeating: [Double](), count: steps.count)
        for j in steps.indices { values[j].reserveCapacity(draws.count) }
        for u in draws {
            let x = posterior.constrain(u)
            let sigma = x[sigmaIndex]
            let means = evaluator.mean(at: u)
            let start = means.startIndex
            let lastMean = means[start + steps.count]
            // A run that was not fitted has no residual to condition on: its noise is stationary.
            let lastResidual = run == nil ? 0 : lastObservation - (data.scale == .log ? Foundation.log(lastMean) : lastMean)
            let nu = nuIndex.map { x[$0] }
            let chiScale: Double = nu.map { nu in
                let chi2 = PriorDistribution.gamma(shape: nu / 2, rate: 0.5).sample(
                    uniform: { rng.uniform() }, normal: { rng.standardNormal() })
                return 1 / (chi2 / nu).squareRoot()
            } ?? 1
            for j in steps.indices {
                let m = means[start + j]
                let location = data.scale == .log ? Foundation.log(m) : m
                var e: Double
                if let rhoIndex {
                    let gap = run == nil ? .infinity : max(steps[j] - data.steps[data.steps.count - 1], 0) / unitSpacing
                    let rho = x[rhoIndex]
                    // sigma is the innovation sd; the process's stationary sd is sigma / sqrt(1 - rho^2).
                    let stationary = sigma / ((1 - rho) * (1 + rho)).squareRoot()
                    let p = gap.isFinite
                        ? AR1LogLikelihood.predictive(lastResidual: lastResidual, gap: gap, sigma: stationary, rho: rho)
                        : (mean: 0, sd: stationary)
                    e = p.mean + p.sd * rng.standardNormal()
                } else {
                    e = sigma * rng.standardNormal() * chiScale
                }
                if !e.isFinite { e = 0 }
                values[j].append(data.value(fromObservation: location + e))
            }
        }
        return PredictiveDraws(steps: steps, values: values)
    }
}

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
/// Values are mapped back to the original scale (value_ref * e^(log m + e) on the log scale).
public struct PredictiveDraws: Sendable {
    public let steps: [Double]
    /// values[j][k]: draw k at steps[j].
    public let values: [[Double]]

    public var drawCount: Int { values.first?.count ?? 0 }

    public init(steps: [Double], values: [[Double]]) {
        precondition(steps.count == values.count, "PredictiveDraws: \(steps.count) steps, \(values.count) draw lists")
        self.steps = steps
        self.values = values
    }
}

extension CurveFit {
    /// Posterior predictive draws at `steps` (any steps, inside or beyond the data).
    public func predictive(at steps: [Double], seed: UInt64 = 7) throws -> PredictiveDraws {
        let data = posterior.data
        let lastT = data.t[data.t.count - 1]
        var evaluator = try posterior.meanEvaluator(t: steps.map(data.normalized(step:)) + [lastT])
        let names = posterior.parameterNames
        let sigmaIndex = names.firstIndex(of: "sigma")!
        let rhoIndex = names.firstIndex(of: "rho")
        let nuIndex = names.firstIndex(of: "nu")
        let unitSpacing = data.gaps.count > 1 ? (data.steps[data.steps.count - 1] - data.steps[data.steps.count - 2]) / data.gaps[data.gaps.count - 1] : 1
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
            let lastResidual = lastObservation - (data.scale == .log ? Foundation.log(lastMean) : lastMean)
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
                    let gap = max(steps[j] - data.steps[data.steps.count - 1], 0) / unitSpacing
                    let rho = x[rhoIndex]
                    // sigma is the innovation sd; the process's stationary sd is sigma / sqrt(1 - rho^2).
                    let stationary = sigma / ((1 - rho) * (1 + rho)).squareRoot()
                    let p = AR1LogLikelihood.predictive(lastResidual: lastResidual, gap: gap, sigma: stationary, rho: rho)
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

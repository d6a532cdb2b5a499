import CurveModels
import Foundation
import Sampling

/// A model-discrepancy term calibrated by leave-future-out validation on the fitted data itself
/// (in the spirit of Buerkner, Gabry & Vehtari 2020, "Approximate leave-future-out
/// cross-validation for Bayesian time series models"; CALIBRATION_NOTES lessons 2 and 5: the
/// curve's shape, not its noise, dominates the error of an extrapolation).
///
/// The forecast of log y at step s > c (c the last fitted step) gets an extra term
/// ```
/// delta(s) = kappa * log(s / c) * z,   z ~ t_4 scaled to unit variance (z = N(0,1) / sqrt(chi2_4 / 2))
/// ```
/// an error that grows linearly with the log of the extrapolation ratio, as the error of a
/// misjudged exponent does. kappa is its standard deviation per e-fold. The Student-t shape
/// (nu = 4, a scale mixture of normals) reflects that kappa is estimated from a handful of inner
/// points: the back-test's 80% bands at 10x were too wide and its 95% bands at 30x too narrow
/// with a normal z, i.e. the real errors have heavier tails than a normal of the same variance. kappa is estimated by splitting the fitted points again with the
/// back-test rule at a ratio R (fit up to c_v, the largest step with c / c_v >= R; predict the
/// fitted points in (c_v, c]). R = sqrt(H) for a forecast to H times the last fitted step, when
/// the fitted points allow it (at least 5 inner fit points and 3 held out), otherwise the largest
/// ratio they allow, at least 2: the error growth is measured over a distance that grows with the
/// one forecast, but from a later, more representative part of the curve than a split at H
/// itself would use (the back-test showed H over-widening and 2 under-widening). With e_i the
/// log error of the inner forecast's median, v_i the variance of its log predictive draws and
/// r_i = log(s_i / c_v),
/// ```
/// kappa^2 = (sum_i max(e_i^2 - v_i, 0) + n0 kappa0^2 r0^2) / (sum_i r_i^2 + n0 r0^2)
/// ```
/// i.e. the excess squared error per squared log-ratio, shrunk toward a weakly informative
/// kappa0 = 0.3% per e-fold by n0 = 2 pseudo-points at r0 = log 2. A curve too short for any inner
/// split (fewer than 5 + 3 points) gets kappa0.
public enum LeaveFutureOutCalibration {
    public static let ratio = 2.0
    public static let minimumHeldOut = 3
    /// The prior discrepancy rate: 0.3% of log loss per e-fold of extrapolation.
    public static let priorKappa = 0.003
    public static let priorPseudoPoints = 2.0

    public static func discrepancyRate(steps: [Double], values: [Double], request: ForecastRequest,
                                       library: ModelLibrary, priors: [String: PriorSet]) -> Double {
        let r0 = Foundation.log(ratio)
        var numerator = priorPseudoPoints * priorKappa * priorKappa * r0 * r0
        var denominator = priorPseudoPoints * r0 * r0
        let target = (request.horizonRatio ?? ratio * ratio).squareRoot()
        guard let split = innerSplit(steps: steps, targetRatio: target) else { return priorKappa }
        var inner = request
        inner.fitUntil = split.cut
        inner.settings = innerSettings(request.settings)
        guard let fit = try? Forecaster.fit(steps: Array(steps[..<split.fitCount]), values: Array(values[..<split.fitCount]),
                                            request: inner, library: library, priors: priors),
              let predictive = try? fit.predictive(at: split.scored.map { steps[$0] }) else { return priorKappa }
        for (j, i) in split.scored.enumerated() where values[i] > 0 {
            guard let (median, variance) = predictive.logSummary(at: j) else { continue }
            let e = Foundation.log(values[i]) - median
            let r = Foundation.log(steps[i] / split.cut)
            numerator += max(e * e - variance, 0)
            denominator += r * r
        }
        return (numerator / denominator).squareRoot()
    }

    /// The sampler settings of an inner fit: it only measures an error scale, so two chains with
    /// half the draws suffice (its median and variance need hundreds of draws, not a converged tail).
    public static func innerSettings(_ settings: FitSettings) -> FitSettings {
        var inner = settings
        inner.chains = min(settings.chains, 2)
        inner.warmup = max(settings.warmup / 2, 150)
        inner.samples = max(settings.samples / 2, 150)
        return inner
    }

    /// The inner validation split: at the target ratio if the points allow, else at the largest
    /// feasible ratio (halving from the target), never below `ratio`.
    static func innerSplit(steps: [Double], targetRatio: Double) -> BacktestProtocol.Split? {
        var r = max(targetRatio, ratio)
        while r >= ratio {
            if let split = BacktestProtocol.split(steps: steps, horizon: r), split.scoredCount >= minimumHeldOut {
                return split
            }
            r /= 2
        }
        return nil
    }

    /// Degrees of freedom of the discrepancy's Student-t shape.
    public static let discrepancyDegreesOfFreedom = 4

    /// A Student-t draw with `nu` > 2 degrees of freedom scaled to unit variance:
    /// z = N(0, 1) / sqrt(chi2_nu / (nu - 2)), with chi2_nu a sum of nu squared normals (exact for
    /// integer nu; the variance of t_nu is nu / (nu - 2)).
    public static func unitVarianceStudentT(nu: Int, _ rng: inout Xoshiro256StarStar) -> Double {
        let normal = rng.standardNormal()
        var chi2 = 0.0
        for _ in 0..<nu { let g = rng.standardNormal(); chi2 += g * g }
        return normal / (chi2 / Double(nu - 2)).squareRoot()
    }

    /// Adds the discrepancy term to log draws (or to linear draws, relative to the median, when
    /// some draws are not positive): draw k at step s gets kappa log(s / c) z_k, z_k a
    /// unit-variance t_4 (`unitVarianceStudentT`) from a fixed-seed stream.
    public static func addDiscrepancy(_ p: PredictiveDraws, kappa: Double, lastFittedStep c: Double,
                                      seed: UInt64 = 99) -> PredictiveDraws {
        guard kappa > 0 else { return p }
        var rng = Xoshiro256StarStar(seed: seed)
        // One z per draw, shared across steps: the discrepancy is a smooth curve, not noise.
        let z = (0..<p.drawCount).map { _ in unitVarianceStudentT(nu: discrepancyDegreesOfFreedom, &rng) }
        return PredictiveDraws(steps: p.steps, values: zip(p.steps, p.values).map { step, draws in
            let scale = kappa * Foundation.log(max(step / c, 1))
            guard scale > 0 else { return draws }
            if draws.allSatisfy({ $0 > 0 }) {
                return draws.enumerated().map { k, v in v * Foundation.exp(scale * z[k % z.count]) }
            }
            let median = draws.sorted()[draws.count / 2]
            return draws.enumerated().map { k, v in v + abs(median) * scale * z[k % z.count] }
        })
    }
}

import CurveModels
import Foundation
import Sampling

/// A between-run discrepancy term for forecasts of a run that was not fitted (a joint fit's
/// forecast of another schedule), calibrated by leaving each training run out in turn.
///
/// A law fitted on a few schedules is not exact on another one (Luo et al. 2025 report 0.2-0.6%
/// relative error on unseen schedules, against a noise of ~0.1% on the smoothed curves), and the
/// error is a smooth offset along the run, not noise. So a forecast of a run that was not fitted
/// gets, on log values, one offset per predictive draw, shared by every step of the run:
/// ```
/// delta ~ N(0, tau^2 + (kappa log(max(s / c, 1)))^2)
/// ```
/// with c the last fitted step, kappa the rate of `LeaveFutureOutCalibration` (a single training
/// run: extrapolation in time) and tau the between-run sd (for a run fitted up to c along with the
/// others, only at steps after c), measured with R >= 2 training runs by
/// fitting the other R - 1 runs and forecasting the left-out run r's fitted points: with e_ri the
/// log error of the predictive median and v_ri the variance of the log predictive draws,
/// ```
/// tau^2 = (sum_r mean_i max(e_ri^2 - v_ri, 0) + n0 tau0^2) / (R + n0)
/// ```
/// shrunk toward tau0 = 0.2% by n0 = 1 pseudo-run. Fitting on R - 1 runs forecasts worse than
/// fitting on all R, so tau errs on the wide side (the usual bias of leave-one-out).
public enum LeaveOneRunOutCalibration {
    /// The prior between-run sd of log values: 0.2%, about Luo et al.'s mean relative error on
    /// unseen schedules.
    public static let priorSD = 0.002
    public static let priorPseudoRuns = 1.0
    /// Points of a left-out run that are scored (evenly thinned).
    public static let scoredPoints = 40

    /// tau: the between-run sd of log values (`priorSD` when fewer than two runs can be used).
    public static func discrepancy(runs: [TrainingRun], request: ForecastRequest, library: ModelLibrary,
                                   priors: [String: PriorSet]) -> Double {
        var numerator = priorPseudoRuns * priorSD * priorSD
        var denominator = priorPseudoRuns
        guard runs.count >= 2 else { return priorSD }
        var inner = request
        inner.calibrate = false
        inner.settings = LeaveFutureOutCalibration.innerSettings(request.settings)
        for r in runs.indices {
            var others = runs
            let left = others.remove(at: r)
            let (steps, values) = left.fitted
            let scored = CurveData.thinnedIndices(count: steps.count, maximum: scoredPoints)
            guard let fit = try? Forecaster.fit(runs: others, request: inner, library: library, priors: priors),
                  let predictive = try? fit.forecasting(ForecastTarget(schedule: left.schedule, fittedRun: nil))
                      .predictive(at: scored.map { steps[$0] }) else { continue }
            var excess = 0.0, count = 0.0
            for (j, i) in scored.enumerated() where values[i] > 0 {
                guard let log = predictive.logSummary(at: j) else { continue }
                let e = Foundation.log(values[i]) - log.median
                excess += max(e * e - log.variance, 0)
                count += 1
            }
            guard count > 0 else { continue }
            numerator += excess / count
            denominator += 1
        }
        return (numerator / denominator).squareRoot()
    }

    /// Adds the discrepancy to log draws (or to linear draws, relative to the median, when some
    /// draws are not positive): draw k at step s gets sd(s) z_k, z_k ~ N(0, 1) from a fixed-seed
    /// stream, sd(s) = sqrt(tau(s)^2 + (kappa log(max(s / c, 1)))^2), tau(s) = runSD except at
    /// s <= c for a fitted run (`runFitted`), where it is 0.
    public static func addDiscrepancy(_ p: PredictiveDraws, runSD: Double, kappa: Double, lastFittedStep c: Double,
                                      runFitted: Bool = false, seed: UInt64 = 101) -> PredictiveDraws {
        guard runSD > 0 || kappa > 0 else { return p }
        var rng = Xoshiro256StarStar(seed: seed)
        // One z per draw, shared across steps: the discrepancy is a smooth offset, not noise.
        let z = (0..<p.drawCount).map { _ in rng.standardNormal() }
        return PredictiveDraws(steps: p.steps, values: zip(p.steps, p.values).map { step, draws in
            let growth = kappa * Foundation.log(max(step / c, 1))
            let tau = runFitted && step <= c ? 0 : runSD
            let scale = (tau * tau + growth * growth).squareRoot()
            guard scale > 0 else { return draws }
            if draws.allSatisfy({ $0 > 0 }) {
                return draws.enumerated().map { k, v in v * Foundation.exp(scale * z[k % z.count]) }
            }
            let median = draws.sorted()[draws.count / 2]
            return draws.enumerated().map { k, v in v + abs(median) * scale * z[k % z.count] }
        })
    }
}

import CurveModels
import Foundation

/// The extrapolation rate kappa of `LeaveFutureOutCalibration` for a joint fit: how fast the
/// error of the shared law grows with the distance past the training runs' last step.
///
/// The runs (each under its own schedule) are fitted again jointly up to c_v = c / R (c the
/// latest fitted step, R = `LeaveFutureOutCalibration.ratio`), and each run's fitted points in
/// (c_v, c] are forecast from that inner fit: the error of extrapolating in time under known
/// schedules, e.g. the second half of a cosine's anneal from its first half. With e_i the log
/// error of the inner predictive median, v_i the variance of its log draws and r_i = log(s_i / c_v),
/// ```
/// kappa^2 = (sum_i max(e_i^2 - v_i, 0) + n0 kappa0^2 r0^2) / (sum_i r_i^2 + n0 r0^2)
/// ```
/// with `LeaveFutureOutCalibration`'s kappa0, n0 and r0 = log R. Runs with fewer than
/// `minimumInnerPoints` points up to c_v sit the inner fit out; without any such run, or without
/// `LeaveFutureOutCalibration.minimumHeldOut` scored points, kappa = kappa0.
public enum JointLeaveFutureOutCalibration {
    public static let minimumInnerPoints = 5

    public static func discrepancyRate(runs: [TrainingRun], request: ForecastRequest, library: ModelLibrary,
                                       priors: [String: PriorSet]) -> Double {
        let kappa0 = LeaveFutureOutCalibration.priorKappa, n0 = LeaveFutureOutCalibration.priorPseudoPoints
        let r0 = Foundation.log(LeaveFutureOutCalibration.ratio)
        var numerator = n0 * kappa0 * kappa0 * r0 * r0
        var denominator = n0 * r0 * r0
        let c = runs.compactMap { $0.fitted.steps.last }.max() ?? 0
        let cut = c / LeaveFutureOutCalibration.ratio
        let kept = runs.filter { run in run.fitted.steps.filter { $0 <= cut }.count >= minimumInnerPoints }
        let inner = kept.map { run in
            var prefix = run
            prefix.fitUntil = min(run.fitUntil ?? .infinity, cut)
            return prefix
        }
        var request = request
        request.calibrate = false
        request.settings = LeaveFutureOutCalibration.innerSettings(request.settings)
        guard !inner.isEmpty,
              let fit = try? Forecaster.fit(runs: inner, request: request, library: library, priors: priors) else {
            return kappa0
        }
        var scored = 0
        for (index, run) in kept.enumerated() {
            let (steps, values) = run.fitted
            let held = steps.indices.filter { steps[$0] > cut }
            let picked = CurveData.thinnedIndices(count: held.count, maximum: LeaveOneRunOutCalibration.scoredPoints).map { held[$0] }
            guard !picked.isEmpty,
                  let predictive = try? fit.forecasting(ForecastTarget(schedule: run.schedule, fittedRun: index))
                      .predictive(at: picked.map { steps[$0] }) else { continue }
            for (j, i) in picked.enumerated() where values[i] > 0 {
                guard let log = predictive.logSummary(at: j) else { continue }
                let e = Foundation.log(values[i]) - log.median
                let r = Foundation.log(steps[i] / cut)
                numerator += max(e * e - log.variance, 0)
                denominator += r * r
                scored += 1
            }
        }
        guard scored >= LeaveFutureOutCalibration.minimumHeldOut else { return kappa0 }
        return (numerator / denominator).squareRoot()
    }
}

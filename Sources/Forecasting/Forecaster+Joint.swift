import CurveModels
import Foundation
import Sampling

extension Forecaster {
    /// The default model of runs whose learning rate changes after warmup, and of joint fits:
    /// the multi-power law (Luo et al. 2025), which predicts across schedules.
    public static let scheduleAwareCandidates = ["multi_power"]

    /// The candidates of `--model auto` for runs under `schedules`: the schedule-aware law when
    /// any schedule anneals after its warmup (a schedule-free law cannot see the drop), else
    /// `automaticCandidates`.
    public static func automaticCandidates(schedules: [LearningRateSchedule?]) -> [String] {
        schedules.contains { $0?.annealsAfterWarmup == true } ? scheduleAwareCandidates : automaticCandidates
    }

    /// Fits `runs` jointly: one posterior per model whose parameters every run shares
    /// (`CurvePosterior.init(model:prior:runs:)`), on one normalization (`CurveData.Normalization.joint`),
    /// each run's covariates computed from its own schedule. The default model is
    /// `scheduleAwareCandidates`.
    ///
    /// With `request.calibrate`: two or more runs get the between-run discrepancy of
    /// `LeaveOneRunOutCalibration` (applied to forecasts of runs that were not fitted, and past a
    /// fitted run's last point) and the extrapolation rate of `JointLeaveFutureOutCalibration`; a
    /// single run gets `LeaveFutureOutCalibration`'s rate, measured on it under its schedule.
    /// `request.fitUntil` and `request.schedule` are not used (each run has its own).
    public static func fit(runs: [TrainingRun], request: ForecastRequest, library: ModelLibrary,
                           priors: [String: PriorSet],
                           progress: (@Sendable (ChainProgress) -> Void)? = nil) throws(ForecastError) -> ForecastResult {
        let curveRuns = try jointData(runs, request: request)
        let names = request.modelName.map(ForecastRequest.modelNames) ?? scheduleAwareCandidates
        let fits = try fitComponents(names, runs: curveRuns, request: request, library: library, priors: priors,
                                     progress: progress)
        let w = 1 / Double(fits.count)
        var result = ForecastResult(components: fits.map { ($0, w) }, fitUntil: curveRuns[0].data.stepRef,
                                    modelLabel: request.modelName ?? "auto")
        if request.calibrate {
            var inner = request
            inner.calibrate = false
            if runs.count >= 2 {
                result.runDiscrepancy = LeaveOneRunOutCalibration.discrepancy(
                    runs: runs, request: inner, library: library, priors: priors)
                result.discrepancyRate = JointLeaveFutureOutCalibration.discrepancyRate(
                    runs: runs, request: inner, library: library, priors: priors)
            } else {
                inner.schedule = runs[0].schedule
                let (steps, values) = runs[0].fitted
                result.discrepancyRate = LeaveFutureOutCalibration.discrepancyRate(
                    steps: steps, values: values, request: inner, library: library, priors: priors)
            }
        }
        return result
    }

    /// The runs' fitted points on their shared normalization.
    static func jointData(_ runs: [TrainingRun], request: ForecastRequest) throws(ForecastError) -> [CurveRun] {
        guard !runs.isEmpty else { throw .model("no runs to fit; give at least one curve") }
        var own: [CurveData] = []
        for run in runs {
            let (steps, values) = run.fitted
            do {
                own.append(try CurveData(steps: steps, values: values, scale: request.scale,
                                         maximumPoints: request.maximumPoints))
            } catch {
                throw .runData(run: run.name, error)
            }
        }
        let shared = CurveData.Normalization.joint(own)
        var curveRuns: [CurveRun] = []
        for run in runs {
            let (steps, values) = run.fitted
            do {
                let normalized = try CurveData(steps: steps, values: values, scale: request.scale,
                                               maximumPoints: request.maximumPoints, normalization: shared)
                curveRuns.append(CurveRun(name: run.name, data: normalized, schedule: run.schedule))
            } catch {
                throw .runData(run: run.name, error)
            }
        }
        return curveRuns
    }
}

/// One training run of a curve posterior: its points on the (shared) normalized scale and the
/// learning-rate schedule its schedule-aware covariates are computed from.
///
/// A posterior over several runs (`CurvePosterior.init(model:prior:runs:)`) shares the model's
/// parameters between them: the runs are curves of the same model size and data under different
/// schedules, which is what the schedule-aware laws (Tissue et al. 2024, Luo et al. 2025) are
/// fitted to. Their `CurveData` must share one `CurveData.Normalization`.
public struct CurveRun: Sendable {
    /// How the run is named in messages (its file).
    public var name: String
    public var data: CurveData
    /// nil: the run has no schedule (schedule-aware models then fail to compile).
    public var schedule: LearningRateSchedule?

    public init(name: String, data: CurveData, schedule: LearningRateSchedule? = nil) {
        self.name = name
        self.data = data
        self.schedule = schedule
    }
}

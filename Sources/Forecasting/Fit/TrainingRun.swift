import CurveModels

/// One run of a joint fit: a curve with its learning-rate schedule (logged or declared).
///
/// Runs fitted jointly share the model's parameters: the same model size and data under
/// different schedules, as in Luo et al. (2025) and Tissue et al. (2024), who fit their laws on a
/// few schedules and predict others.
public struct TrainingRun: Sendable {
    /// How the run is named in messages (its file).
    public var name: String
    public var steps: [Double]
    public var values: [Double]
    public var schedule: LearningRateSchedule?
    /// Fit only the points with step <= fitUntil (nil: all of them).
    public var fitUntil: Double?

    public init(name: String, steps: [Double], values: [Double], schedule: LearningRateSchedule?, fitUntil: Double? = nil) {
        precondition(steps.count == values.count, "TrainingRun: \(steps.count) steps, \(values.count) values")
        self.name = name
        self.steps = steps
        self.values = values
        self.schedule = schedule
        self.fitUntil = fitUntil
    }

    /// The points at or before `fitUntil`.
    public var fitted: (steps: [Double], values: [Double]) {
        guard let cut = fitUntil else { return (steps, values) }
        let keep = steps.indices.filter { steps[$0] <= cut }
        return (keep.map { steps[$0] }, keep.map { values[$0] })
    }
}

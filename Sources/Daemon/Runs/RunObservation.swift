import EarlyStopping
import Foundation
import RunLogs

/// What one poll found in a run's log: its points, or why they cannot be used.
enum RunObservation: Sendable {
    /// The metric's points (possibly too few to fit yet) and the read warnings.
    case points(steps: [Double], values: [Double], issues: [String], format: LogFormat)
    /// The log cannot be used now: a read error, a missing metric, a value the model cannot take.
    case problem(String, format: LogFormat?)

    /// The observation of `study.metric` in `log`.
    ///
    /// Rules (on top of the readers' rules: NaN/inf dropped and reported, resumed steps replaced,
    /// an incomplete last record left for later and listed with the issues):
    /// - a log without the metric is a problem once it has points of other metrics (while it has
    ///   none, the run is waiting for its first points);
    /// - steps must be > 0 (curve laws are in step / last step);
    /// - a minimized metric must be > 0 (losses are fitted on the log scale); a maximized one
    ///   must lie in [0, 1) (the model is fitted to log(1 - value)).
    static func of(_ log: RunLog, study: StudyConfiguration) -> RunObservation {
        // Incomplete last records are not errors (a writer may be in the middle of one), but a
        // user should see them: one that never completes hides the run's last point.
        let issues = log.issues.map(\.message) + log.pending.map(\.description)
        guard let series = log[metric: study.metric] else {
            let others = log.metrics.filter { !$0.isEmpty }.map(\.name)
            if others.isEmpty { return .points(steps: [], values: [], issues: issues, format: log.format) }
            return .problem(
                "\(log.source): no metric '\(study.metric)' in the log (it has \(others.joined(separator: ", "))); "
                    + "set --metric (or \"metric\" in the config file) to one of them", format: log.format)
        }
        do {
            try series.validateForFitting(minPoints: 0, requirePositive: false)
        } catch {
            // Too few points is not a problem: the run waits for more.
            if case .tooFewPoints = error.reason {} else { return .problem(error.description, format: log.format) }
        }
        let field = "metric '\(study.metric)'"
        for point in series.points {
            guard point.step > 0 else {
                return .problem(
                    "\(point.location): \(field): step \(JSON.format(point.step)) is not positive; curve laws need steps > 0 "
                        + "(log step + 1, or drop the row)", format: log.format)
            }
            switch study.direction {
            case .minimize where !(point.value > 0):
                return .problem(
                    "\(point.location): \(field): value \(JSON.format(point.value)) is not positive, but losses are fitted "
                        + "on the log scale; fix the row, or watch a metric that stays positive", format: log.format)
            case .maximize where !(point.value >= 0 && point.value < 1):
                return .problem(
                    "\(point.location): \(field): value \(JSON.format(point.value)) is outside [0, 1); a maximized metric "
                        + "is fitted as log(1 - value); watch a rate or accuracy in [0, 1), or a falling metric with "
                        + "direction minimize", format: log.format)
            default: continue
            }
        }
        return .points(steps: series.steps, values: series.values, issues: issues, format: log.format)
    }
}

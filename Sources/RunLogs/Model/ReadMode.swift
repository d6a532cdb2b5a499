/// How a reader treats steps that are logged again or go backwards.
public enum ReadMode: Sendable, Hashable {
    /// Resumed runs are expected (the default). When a metric's step goes back to `s` (a run
    /// restarted from a checkpoint), every earlier point of that metric with step >= `s` is
    /// replaced by what follows: the later write wins. Each such rewind is reported as a
    /// `ReadIssue` of kind `resumedStepsReplaced`. The resulting series are strictly increasing.
    case resume
    /// Points are kept in file order, as written. Duplicate and out-of-order steps are kept and
    /// `MetricSeries.validateForFitting` rejects them, naming the lines.
    case strict
}

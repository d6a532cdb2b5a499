/// What a reader found in a run's log: its metric series, the learning-rate series if the log
/// has one, warnings, and any incomplete record at the end of a file.
///
/// The rules every reader follows (each reader's documentation adds its format's details):
/// - **Errors** stop the read and are types nested in the reader (`CSVLogReader.ReadError`,
///   `JSONLLogReader.ReadError`, `TrainerStateReader.ReadError`, `TensorBoardReader.ReadError`,
///   `RunLogReader.DiscoveryError`); their `description` names the file, the line (or byte
///   offset), the column/key/field, and what to do.
/// - **NaN/inf values** are dropped, never fatal, and reported as one `ReadIssue` per metric
///   listing every line or offset.
/// - **Resumed runs**: in `ReadMode.resume` (the default) a step logged again replaces what was
///   logged at and after it before (the later write wins); `ReadMode.strict` keeps file order and
///   leaves duplicates and out-of-order steps to `MetricSeries.validateForFitting`.
/// - **Incomplete last records** (no trailing newline where the format needs one, a half-written
///   TensorBoard record) are `pending`, not errors.
/// - **Too few points** is not a read error: `MetricSeries.validateForFitting(minPoints:requirePositive:)`
///   decides, so a daemon can wait for more points.
public struct RunLog: Sendable {
    /// The file or directory that was read.
    public var source: String
    /// The format it was read as.
    public var format: LogFormat
    /// The metric series, in the order the log first mentions them. The learning rate is not
    /// among them: it is `learningRate`.
    public var metrics: [MetricSeries]
    /// The learning rate found in the log (`lr` column, `learning_rate`, `lr-*`), if any.
    public var learningRate: MetricSeries?
    /// Warnings: dropped NaN/inf values, replaced steps of resumed runs, skipped records.
    public var issues: [ReadIssue]
    /// Incomplete records at the end of files (not errors; see `PendingTail`).
    public var pending: [PendingTail]

    /// Creates a run log.
    public init(
        source: String, format: LogFormat, metrics: [MetricSeries], learningRate: MetricSeries?,
        issues: [ReadIssue], pending: [PendingTail]
    ) {
        self.source = source
        self.format = format
        self.metrics = metrics
        self.learningRate = learningRate
        self.issues = issues
        self.pending = pending
    }

    /// The names of the metric series.
    public var metricNames: [String] { metrics.map(\.name) }

    /// The series named `name`, if the log has it.
    public subscript(metric name: String) -> MetricSeries? {
        metrics.first { $0.name == name }
    }
}

/// The log formats RunLogs reads.
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// A CSV file with a header row (`CSVLogReader`).
    case csv
    /// One JSON object per line (`JSONLLogReader`).
    case jsonl
    /// Hugging Face `trainer_state.json` (`TrainerStateReader`).
    case trainerState
    /// PyTorch Lightning CSVLogger `metrics.csv` (`LightningCSVReader`).
    case lightningCSV
    /// TensorBoard `events.out.tfevents.*` files (`TensorBoardReader`).
    case tensorBoard
}

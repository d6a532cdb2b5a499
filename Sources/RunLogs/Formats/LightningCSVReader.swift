import Foundation

/// Reads a PyTorch Lightning `CSVLogger` `metrics.csv`.
///
/// The format: a header of all metric keys seen so far (Lightning sorts them, e.g.
/// `epoch,lr-Adam,step,train_loss,val_loss`), then sparse rows written by Python's `csv` module
/// (CRLF endings, empty cells for metrics not logged in that row). When a new metric appears,
/// Lightning rewrites the whole file in place with the wider header.
///
/// Rules:
/// - `step` is the x column; `epoch` is ignored; every other column is a metric series, except the
///   first learning-rate column (`lr`, `learning_rate`, `lr-*`, e.g. `lr-Adam`) which becomes
///   `RunLog.learningRate` (further LR columns, e.g. `lr-Adam/pg2`, stay metrics).
/// - Empty cells mean "not logged in this row"; rows with an empty step and nothing else are skipped.
/// - A last line without its newline is pending (`RunLog.pending`), never an error: Lightning
///   may be in the middle of writing it.
/// - A rewritten header between reads is handled by `TailReader` (it re-reads from the start).
/// - Otherwise the rules of `CSVLogReader` apply; errors are `CSVLogReader.ReadError`s.
public struct LightningCSVReader: Sendable {
    /// Errors are CSV errors: file, line, column and what to do.
    public typealias ReadError = CSVLogReader.ReadError

    /// Which columns mean what.
    public struct Options: Sendable, Hashable {
        /// The x column.
        public var stepColumn: String
        /// Columns that are neither metrics nor the learning rate.
        public var ignoredColumns: Set<String>
        /// How repeated/decreasing steps are treated.
        public var mode: ReadMode

        /// Defaults: `step`, ignoring `epoch`, resume mode.
        public init(stepColumn: String = "step", ignoredColumns: Set<String> = ["epoch"], mode: ReadMode = .resume) {
            self.stepColumn = stepColumn
            self.ignoredColumns = ignoredColumns
            self.mode = mode
        }
    }

    /// The options.
    public var options: Options

    /// Creates a reader.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Whether a column holds a learning rate (`lr`, `learning_rate`, `lr-*`, `lr_*`).
    public static func isLearningRateColumn(_ name: String) -> Bool {
        name == "lr" || name == "learning_rate" || name.hasPrefix("lr-") || name.hasPrefix("lr_")
    }

    /// Reads `metrics.csv` as it is now.
    public func read(_ url: URL) throws(ReadError) -> RunLog {
        try readWholeFile(url)
    }

    /// Reads `metrics.csv` content; `source` names it in messages.
    public func parse(_ text: String, source: String) throws(ReadError) -> RunLog {
        try parse(Array(text.utf8), source: source)
    }

    func parse(_ bytes: [UInt8], source: String) throws(ReadError) -> RunLog {
        var decoder = CSVLogDecoder(file: source, flavor: .lightning(options))
        var builder = RunLogBuilder(source: source, format: .lightningCSV, mode: options.mode)
        _ = try decoder.decode(bytes, baseOffset: 0, isFinished: true, into: &builder)
        if !decoder.hasHeader && builder.pending.isEmpty {
            throw ReadError(file: source, line: nil, reason: .noHeader)
        }
        return builder.build()
    }
}

extension LightningCSVReader: WholeFileLogReader {
    static func unreadable(file: String, reason: String) -> ReadError {
        ReadError(file: file, line: nil, reason: .unreadable(reason))
    }
}

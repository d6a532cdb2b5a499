import Foundation

/// Reads a metric log written as CSV with a header row (RFC 4180 quoting, LF or CRLF).
///
/// Rules, in order:
/// - Blank lines are skipped anywhere. A UTF-8 byte-order mark is ignored.
/// - The first non-blank record is the header. Columns are chosen by name (`Options`); a named
///   column that is missing is an error listing the available columns.
/// - Every row must have as many fields as the header (extra empty trailing fields are allowed).
/// - The step cell must be a finite number. A value cell may be empty (that metric has no point
///   at that step); otherwise it must parse as a number, or the read fails naming line and column.
/// - NaN/inf values are dropped and reported as one `ReadIssue` per metric listing the lines.
/// - Repeated or decreasing steps follow `Options.mode` (see `ReadMode`).
/// - A file with no header at all is an error. A header with no rows, or one row, is not: the
///   series are just short, and `MetricSeries.validateForFitting(minPoints:requirePositive:)`
///   decides whether that is enough.
/// - A finished file's last line needs no newline. (`TailReader` instead treats a last line
///   without a newline as pending, because a writer may be in the middle of it.)
public struct CSVLogReader: Sendable {
    /// Which columns to read.
    public struct Options: Sendable, Hashable {
        /// The x column.
        public var stepColumn: String
        /// The metric columns (each becomes a `MetricSeries` named like the column).
        public var valueColumns: [String]
        /// The learning-rate column, used when the file has it (a missing one is not an error).
        public var learningRateColumn: String?
        /// How repeated/decreasing steps are treated.
        public var mode: ReadMode

        /// Defaults: x column `step`, metric `loss`, learning rate `lr` if present, resume mode.
        public init(
            stepColumn: String = "step", valueColumns: [String] = ["loss"], learningRateColumn: String? = "lr",
            mode: ReadMode = .resume
        ) {
            self.stepColumn = stepColumn
            self.valueColumns = valueColumns
            self.learningRateColumn = learningRateColumn
            self.mode = mode
        }
    }

    /// Why a CSV log could not be read. `description` names file, line and column, and what to do.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The specific problem.
        public enum Reason: Sendable, Hashable {
            /// The file could not be opened or read.
            case unreadable(String)
            /// The file has no header row (it is empty or blank).
            case noHeader
            /// A column named in the options is not in the header.
            case missingColumn(String, available: [String])
            /// A cell that must be a number is not one.
            case notANumber(column: String, cell: String)
            /// The step cell is empty.
            case emptyStep(column: String)
            /// The step is NaN or infinite.
            case nonFiniteStep(column: String, cell: String)
            /// A row has the wrong number of fields.
            case fieldCount(found: Int, expected: Int)
            /// Broken quoting.
            case syntax(String)
        }

        /// The file.
        public var file: String
        /// The 1-based line, when the problem is on a line.
        public var line: Int?
        /// The problem.
        public var reason: Reason

        /// Creates an error.
        public init(file: String, line: Int?, reason: Reason) {
            self.file = file
            self.line = line
            self.reason = reason
        }

        /// E.g. `curve.csv:17: column 'loss': "abc" is not a number; fix or delete the row`.
        public var description: String {
            let place = line.map { "\(file):\($0)" } ?? file
            switch reason {
            case .unreadable(let why):
                return "\(place): \(why)"
            case .noHeader:
                return "\(place): file is empty; expected a header row such as 'step,loss' followed by data rows"
            case .missingColumn(let name, let available):
                return "\(place): header: no column '\(name)'; available columns: "
                    + available.map { "'\($0)'" }.joined(separator: ", ")
                    + "; choose one of them or fix the header"
            case .notANumber(let column, let cell):
                return "\(place): column '\(column)': \(quoteCell(cell)) is not a number; fix or delete the row"
            case .emptyStep(let column):
                return "\(place): column '\(column)': the step is empty; fill it in or delete the row"
            case .nonFiniteStep(let column, let cell):
                return "\(place): column '\(column)': step \(quoteCell(cell)) is not finite; fix or delete the row"
            case .fieldCount(let found, let expected):
                return "\(place): row has \(found) fields but the header has \(expected); "
                    + "fix the row (quote cells that contain commas) or delete it"
            case .syntax(let message):
                return "\(place): \(message)"
            }
        }
    }

    /// The options.
    public var options: Options

    /// Creates a reader.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Reads a finished CSV file.
    public func read(_ url: URL) throws(ReadError) -> RunLog {
        try readWholeFile(url)
    }

    /// Reads CSV text (e.g. pushed by a trainer); `source` names it in messages.
    public func parse(_ text: String, source: String) throws(ReadError) -> RunLog {
        try parse(Array(text.utf8), source: source)
    }

    func parse(_ bytes: [UInt8], source: String) throws(ReadError) -> RunLog {
        var decoder = CSVLogDecoder(file: source, flavor: .generic(options))
        var builder = RunLogBuilder(source: source, format: .csv, mode: options.mode)
        _ = try decoder.decode(bytes, baseOffset: 0, isFinished: true, into: &builder)
        if !decoder.hasHeader { throw ReadError(file: source, line: nil, reason: .noHeader) }
        return builder.build()
    }
}

extension CSVLogReader: WholeFileLogReader {
    static func unreadable(file: String, reason: String) -> ReadError {
        ReadError(file: file, line: nil, reason: .unreadable(reason))
    }
}

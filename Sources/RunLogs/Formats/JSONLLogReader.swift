import Foundation

/// Reads a metric log written as JSON Lines: one JSON object per line.
///
/// Rules:
/// - Keys are looked up as written, then as dotted paths into nested objects: `metrics.loss`
///   finds `{"metrics.loss": 1}` and `{"metrics": {"loss": 1}}`.
/// - A line with none of the metric or LR keys is skipped (loggers mix record kinds: config,
///   eval summaries...). A line with a metric but no step is an error.
/// - Values are numbers, `null` (= not logged), or strings holding a number. Python's `NaN`,
///   `Infinity`, `-Infinity` are accepted; non-finite values are dropped with a `ReadIssue`.
/// - Blank lines are skipped. In a finished file a last line without a newline is used if it
///   parses as a JSON object (a truncated object never does) and is pending otherwise;
///   `TailReader` always leaves it pending until its newline arrives.
/// - Repeated or decreasing steps follow `Options.mode` (see `ReadMode`).
/// - An empty file is an error; a file with no metric points is not (see
///   `MetricSeries.validateForFitting(minPoints:requirePositive:)`).
public struct JSONLLogReader: Sendable {
    /// Which keys to read.
    public struct Options: Sendable, Hashable {
        /// The step key.
        public var stepKey: String
        /// Metric keys; each becomes a `MetricSeries` named like the key.
        public var valueKeys: [String]
        /// Learning-rate keys, tried in order; the first present in a line is used.
        public var learningRateKeys: [String]
        /// How repeated/decreasing steps are treated.
        public var mode: ReadMode

        /// Defaults: `step`, `loss`, LR from `lr` or `learning_rate`, resume mode.
        public init(
            stepKey: String = "step", valueKeys: [String] = ["loss"],
            learningRateKeys: [String] = ["lr", "learning_rate"], mode: ReadMode = .resume
        ) {
            self.stepKey = stepKey
            self.valueKeys = valueKeys
            self.learningRateKeys = learningRateKeys
            self.mode = mode
        }
    }

    /// Why a JSONL log could not be read. `description` names file, line and key, and what to do.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The specific problem.
        public enum Reason: Sendable, Hashable {
            /// The file could not be opened or read.
            case unreadable(String)
            /// The file is empty.
            case empty
            /// The line is not valid JSON.
            case invalidJSON(column: Int, message: String)
            /// The line is JSON but not an object.
            case notAnObject
            /// A metric is present but the step key is not.
            case missingStep(key: String, metricKey: String)
            /// A value that must be a number is not one.
            case notANumber(key: String, value: String)
            /// The step is NaN or infinite.
            case nonFiniteStep(key: String)
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

        /// E.g. `log.jsonl:5: key 'loss': "abc" is not a number; fix or delete the line`.
        public var description: String {
            let place = line.map { "\(file):\($0)" } ?? file
            switch reason {
            case .unreadable(let why): return "\(place): \(why)"
            case .empty: return "\(place): file is empty; expected one JSON object per line, e.g. {\"step\": 1, \"loss\": 2.5}"
            case .invalidJSON(let column, let message):
                return "\(place): column \(column): not valid JSON (\(message)); fix or delete the line"
            case .notAnObject: return "\(place): line is not a JSON object; each line must be {...}; fix or delete the line"
            case .missingStep(let key, let metricKey):
                return "\(place): key '\(key)': missing, but the line has '\(metricKey)'; add the step or "
                    + "choose the step key that the log uses"
            case .notANumber(let key, let value):
                return "\(place): key '\(key)': \(value) is not a number; fix or delete the line"
            case .nonFiniteStep(let key): return "\(place): key '\(key)': the step is not finite; fix or delete the line"
            }
        }
    }

    /// The options.
    public var options: Options

    /// Creates a reader.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Reads a JSONL file.
    public func read(_ url: URL) throws(ReadError) -> RunLog {
        try readWholeFile(url)
    }

    /// Reads JSONL text; `source` names it in messages.
    public func parse(_ text: String, source: String) throws(ReadError) -> RunLog {
        try parse(Array(text.utf8), source: source)
    }

    func parse(_ bytes: [UInt8], source: String) throws(ReadError) -> RunLog {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw ReadError(file: source, line: nil, reason: .empty)
        }
        var decoder = JSONLDecoder(file: source, options: options)
        var builder = RunLogBuilder(source: source, format: .jsonl, mode: options.mode)
        _ = try decoder.decode(bytes, baseOffset: 0, isFinished: true, into: &builder)
        return builder.build()
    }
}

/// The incremental core of `JSONLLogReader`, shared with `TailReader`.
struct JSONLDecoder: Sendable {
    typealias ReadError = JSONLLogReader.ReadError
    let file: String
    let options: JSONLLogReader.Options
    private var nextLine = 1

    init(file: String, options: JSONLLogReader.Options) {
        self.file = file
        self.options = options
    }

    /// Consumes complete lines of `bytes` (from file offset `baseOffset`); returns bytes consumed.
    ///
    /// A last line without its newline is used only when `isFinished` and it parses; a tail read
    /// leaves it pending, so that the newline that follows is not counted as a blank line.
    mutating func decode(
        _ bytes: [UInt8], baseOffset: Int, isFinished: Bool, into builder: inout RunLogBuilder
    ) throws(ReadError) -> Int {
        var start = 0
        if baseOffset == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        builder.pending = []
        while start < bytes.count {
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let lineEnd = newline ?? bytes.count
            let isBlank = bytes[start..<lineEnd].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if newline == nil && !isFinished {
                if !isBlank {
                    builder.pending = [PendingTail(file: file, offset: baseOffset + start, byteCount: lineEnd - start)]
                }
                return start
            }
            if !isBlank {
                let node: JSONNode
                do {
                    node = try JSONParser.parse(bytes, range: start..<lineEnd, firstLine: nextLine)
                } catch {
                    if newline == nil {
                        // An unterminated last line that does not parse is still being written.
                        builder.pending = [PendingTail(file: file, offset: baseOffset + start, byteCount: lineEnd - start)]
                        return start
                    }
                    throw ReadError(file: file, line: nextLine, reason: .invalidJSON(column: error.column, message: error.message))
                }
                try take(node, line: nextLine, into: &builder)
            }
            nextLine += 1
            start = newline.map { $0 + 1 } ?? bytes.count
        }
        return start
    }

    private func number(_ node: JSONNode, key: String, line: Int) throws(ReadError) -> Double? {
        switch node.value {
        case .null: return nil
        case .number(let value): return value
        case .string(let text):
            if let value = parseNumber(text) { return value }
            throw ReadError(file: file, line: line, reason: .notANumber(key: key, value: node.brief))
        default:
            throw ReadError(file: file, line: line, reason: .notANumber(key: key, value: node.brief))
        }
    }

    private func take(_ node: JSONNode, line: Int, into builder: inout RunLogBuilder) throws(ReadError) {
        guard case .object = node.value else { throw ReadError(file: file, line: line, reason: .notAnObject) }
        var values: [(String, Double)] = []
        var firstKey: String?
        for key in options.valueKeys {
            guard let found = node.lookup(key) else { continue }
            firstKey = firstKey ?? key
            if let value = try number(found, key: key, line: line) { values.append((key, value)) }
        }
        var learningRate: Double?
        for key in options.learningRateKeys {
            guard let found = node.lookup(key) else { continue }
            firstKey = firstKey ?? key
            learningRate = try number(found, key: key, line: line)
            break
        }
        guard let metricKey = firstKey else { return }
        guard let stepNode = node.lookup(options.stepKey) else {
            throw ReadError(file: file, line: line, reason: .missingStep(key: options.stepKey, metricKey: metricKey))
        }
        guard let step = try number(stepNode, key: options.stepKey, line: line) else {
            throw ReadError(file: file, line: line, reason: .missingStep(key: options.stepKey, metricKey: metricKey))
        }
        guard step.isFinite else { throw ReadError(file: file, line: line, reason: .nonFiniteStep(key: options.stepKey)) }
        let location = LogLocation.line(line, in: file)
        for (key, value) in values { builder.add(metric: key, step: step, value: value, at: location) }
        if let learningRate { builder.addLearningRate(step: step, value: learningRate, at: location) }
    }
}

extension JSONLLogReader: WholeFileLogReader {
    static func unreadable(file: String, reason: String) -> ReadError {
        ReadError(file: file, line: nil, reason: .unreadable(reason))
    }
}

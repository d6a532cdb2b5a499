import Foundation

/// Reads Hugging Face `transformers` `trainer_state.json` files.
///
/// The file is one JSON object whose `log_history` array holds one object per logging event:
/// train rows (`loss`, `learning_rate`, `grad_norm`, `epoch`, `step`), eval rows (`eval_loss`, or
/// `eval_<set>_loss` with several eval sets, plus runtimes), and a final summary row
/// (`train_loss`, `train_runtime`, ...).
///
/// Rules:
/// - Metrics: `loss` (train), `eval_loss` and every `eval_<set>_loss`. `train_loss` is not a
///   curve point (it is the run's average) and is ignored, like runtimes and counters.
/// - `learning_rate` becomes `RunLog.learningRate`.
/// - Every row with a metric must have a numeric `step`. `NaN`/`Infinity` (which Python writes
///   for a diverged loss) are dropped with a `ReadIssue`.
/// - In a run directory (`readRunDirectory`), the candidates are `trainer_state.json` at the
///   top and in every `checkpoint-<N>/` (not `tmp-checkpoint-*`, which are still being written).
///   The newest is read: the highest checkpoint number, or the top-level file when its
///   `global_step` is at least as high. If the newest cannot be read, the next is tried and the
///   skip is reported as a `ReadIssue`.
public struct TrainerStateReader: Sendable {
    /// Options.
    public struct Options: Sendable, Hashable {
        /// How repeated/decreasing steps are treated.
        public var mode: ReadMode

        /// Defaults: resume mode.
        public init(mode: ReadMode = .resume) {
            self.mode = mode
        }
    }

    /// Why a `trainer_state.json` (or run directory) could not be read.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The specific problem.
        public enum Reason: Sendable, Hashable {
            /// The file could not be opened or read.
            case unreadable(String)
            /// The file is not valid JSON.
            case invalidJSON(column: Int, message: String)
            /// No `log_history` array.
            case noLogHistory
            /// A field has the wrong type.
            case notANumber(field: String, value: String)
            /// A row with metrics lacks a step.
            case missingStep(field: String)
            /// A run directory with no `trainer_state.json` anywhere.
            case noTrainerState
        }

        /// The file (or directory).
        public var file: String
        /// The 1-based line, when known.
        public var line: Int?
        /// The problem.
        public var reason: Reason

        /// Creates an error.
        public init(file: String, line: Int?, reason: Reason) {
            self.file = file
            self.line = line
            self.reason = reason
        }

        /// E.g. `trainer_state.json:14: field 'log_history[0].loss': "abc" is not a number; ...`.
        public var description: String {
            let place = line.map { "\(file):\($0)" } ?? file
            switch reason {
            case .unreadable(let why): return "\(place): \(why)"
            case .invalidJSON(let column, let message):
                return "\(place): column \(column): not valid JSON (\(message)); the file may be half-written "
                    + "(read again later) or damaged"
            case .noLogHistory:
                return "\(place): field 'log_history': missing or not an array; is this a Hugging Face trainer_state.json?"
            case .notANumber(let field, let value):
                return "\(place): field '\(field)': \(value) is not a number; fix or delete the entry"
            case .missingStep(let field):
                return "\(place): field '\(field)': missing or null, but the entry has metrics; add the step or delete the entry"
            case .noTrainerState:
                return "\(place): no trainer_state.json at the top or in any checkpoint-*/ folder; "
                    + "point at a Hugging Face output directory, or save the state with trainer.save_state()"
            }
        }
    }

    /// The options.
    public var options: Options

    /// Creates a reader.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Reads one `trainer_state.json`.
    public func read(_ url: URL) throws(ReadError) -> RunLog {
        try readWithStep(url).log
    }

    /// Reads `trainer_state.json` content; `source` names it in messages.
    public func parse(_ text: String, source: String) throws(ReadError) -> RunLog {
        try parse(Array(text.utf8), source: source).log
    }

    /// The candidate files of a run directory, newest first (see the type's documentation).
    public static func candidates(in directory: URL) -> [URL] {
        let manager = FileManager.default
        var checkpoints: [(number: Int, url: URL)] = []
        let names = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix("checkpoint-") {
            guard let number = Int(name.dropFirst("checkpoint-".count)) else { continue }
            let file = directory.appendingPathComponent(name).appendingPathComponent("trainer_state.json")
            if manager.fileExists(atPath: file.path) { checkpoints.append((number, file)) }
        }
        checkpoints.sort { $0.number > $1.number }
        var result = checkpoints.map(\.url)
        let top = directory.appendingPathComponent("trainer_state.json")
        if manager.fileExists(atPath: top.path) {
            result.insert(top, at: 0)  // ordered against the checkpoints by global_step when read
        }
        return result
    }

    /// Reads the newest `trainer_state.json` of a Hugging Face output directory.
    public func readRunDirectory(_ directory: URL) throws(ReadError) -> RunLog {
        let top = directory.appendingPathComponent("trainer_state.json")
        var checkpoints = Self.candidates(in: directory)
        let hasTop = checkpoints.first == top
        if hasTop { checkpoints.removeFirst() }
        guard hasTop || !checkpoints.isEmpty else {
            throw ReadError(file: directory.path, line: nil, reason: .noTrainerState)
        }
        var skipped: [ReadIssue] = []
        func skip(_ error: ReadError, _ file: URL) {
            skipped.append(
                ReadIssue(
                    kind: .checkpointSkipped, metric: nil,
                    locations: [LogLocation.line(error.line ?? 1, in: file.path)],
                    message: "\(error.description); used another trainer_state.json instead"))
        }
        var topResult: Result<(log: RunLog, globalStep: Double), ReadError>?
        if hasTop {
            do throws(ReadError) { topResult = .success(try readWithStep(top)) } catch { topResult = .failure(error) }
        }
        var firstError: ReadError?
        for checkpoint in checkpoints {
            let result: (log: RunLog, globalStep: Double)
            do throws(ReadError) {
                result = try readWithStep(checkpoint)
            } catch {
                firstError = firstError ?? error
                skip(error, checkpoint)
                continue
            }
            var chosen = result.log
            switch topResult {
            case .success(let topLevel) where topLevel.globalStep >= result.globalStep: chosen = topLevel.log
            case .failure(let error): skip(error, top)
            default: break
            }
            chosen.issues = skipped + chosen.issues
            return chosen
        }
        switch topResult {
        case .success(var topLevel):
            topLevel.log.issues = skipped + topLevel.log.issues
            return topLevel.log
        case .failure(let error): throw error
        case nil: throw firstError ?? ReadError(file: directory.path, line: nil, reason: .noTrainerState)
        }
    }

    private func readWithStep(_ url: URL) throws(ReadError) -> (log: RunLog, globalStep: Double) {
        switch FileBytes.read(url) {
        case .success(let bytes): return try parse(bytes, source: url.path)
        case .failure(let problem): throw ReadError(file: url.path, line: nil, reason: .unreadable(problem.reason))
        }
    }

    /// Whether `key` is a loss curve in `log_history` (`loss`, `eval_loss`, `eval_<set>_loss`).
    public static func isMetricKey(_ key: String) -> Bool {
        key == "loss" || (key.hasPrefix("eval_") && key.hasSuffix("_loss"))
    }

    func parse(_ bytes: [UInt8], source: String) throws(ReadError) -> (log: RunLog, globalStep: Double) {
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes, range: 0..<bytes.count)
        } catch {
            throw ReadError(file: source, line: error.line, reason: .invalidJSON(column: error.column, message: error.message))
        }
        guard let history = root["log_history"], case .array(let entries) = history.value else {
            throw ReadError(file: source, line: root["log_history"]?.line, reason: .noLogHistory)
        }
        var builder = RunLogBuilder(source: source, format: .trainerState, mode: options.mode)
        var lastStep = 0.0
        for (index, entry) in entries.enumerated() {
            guard case .object(let members) = entry.value else { continue }
            func number(_ node: JSONNode, _ key: String) throws(ReadError) -> Double? {
                switch node.value {
                case .null: return nil
                case .number(let value): return value
                default:
                    throw ReadError(
                        file: source, line: node.line, reason: .notANumber(field: "log_history[\(index)].\(key)", value: node.brief))
                }
            }
            let metricMembers = members.filter { Self.isMetricKey($0.key) || $0.key == "learning_rate" }
            guard !metricMembers.isEmpty else { continue }
            guard let stepNode = entry["step"], let step = try number(stepNode, "step"), step.isFinite else {
                throw ReadError(file: source, line: entry.line, reason: .missingStep(field: "log_history[\(index)].step"))
            }
            lastStep = max(lastStep, step)
            for member in metricMembers {
                guard let value = try number(member.node, member.key) else { continue }
                let location = LogLocation.line(member.node.line, in: source)
                if member.key == "learning_rate" {
                    builder.addLearningRate(step: step, value: value, at: location)
                } else {
                    builder.add(metric: member.key, step: step, value: value, at: location)
                }
            }
        }
        var globalStep = lastStep
        if let node = root["global_step"], case .number(let value) = node.value { globalStep = value }
        return (builder.build(), globalStep)
    }
}

import EarlyStopping
import Foundation

/// The settings of `curvecast watch` as a config file or the command line gives them, before
/// they are merged (flags win over the file) and resolved into a `WatchConfiguration`.
///
/// The config file is one JSON object; its keys are the flags' names with `_` for `-`:
/// ```json
/// {"runs": "runs", "state": "state", "listen": "unix:/tmp/curvecast.sock",
///  "metric": "loss", "direction": "minimize", "horizon": 83475, "target": "best",
///  "threshold": 0.05, "minimum_points": 10, "warmup_steps": 0, "consecutive_votes": 2,
///  "model": "auto", "poll_seconds": 1, "debounce_seconds": 2, "workers": 2,
///  "fit_chains": 1, "fit_warmup": 30, "fit_cold_warmup": 150, "fit_samples": 200, "fit_hurry_seconds": 3}
/// ```
/// Relative paths in the file are relative to the file's folder. Unknown keys are errors (a
/// typo must not silently fall back to a default).
public struct WatchOptions: Sendable, Equatable {
    /// A setting's raw value: a JSON value from the file, or the text of a flag.
    public enum Value: Sendable, Equatable, Decodable {
        case text(String)
        case number(Double)
        case bool(Bool)
        case null
        case other(String)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else if let text = try? container.decode(String.self) { self = .text(text) }
            else { self = .other("an array or object") }
        }
    }

    /// Why the settings were refused; the message names the file and field, or the flag.
    public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What to fix.
        public var message: String
        /// The message.
        public var description: String { message }
        /// Creates an error.
        public init(_ message: String) { self.message = message }
    }

    /// Every key, in the order the help lists them.
    public static let keys = [
        "runs", "state", "listen", "metric", "direction", "horizon", "target", "threshold", "minimum_points",
        "warmup_steps", "consecutive_votes", "model", "poll_seconds", "debounce_seconds", "workers",
        "fit_chains", "fit_warmup", "fit_cold_warmup", "fit_samples", "fit_hurry_seconds",
    ]

    public var runs: String?
    public var state: String?
    public var listen: ListenAddress?
    public var metric: String?
    public var direction: OptimizationDirection?
    public var horizon: Double?
    public var target: StudyConfiguration.Target?
    public var threshold: Double?
    public var minimumPoints: Int?
    public var warmupSteps: Double?
    public var consecutiveVotes: Int?
    /// A model name, or `auto`.
    public var model: String?
    public var pollSeconds: Double?
    public var debounceSeconds: Double?
    public var workers: Int?
    public var fitChains: Int?
    public var fitWarmup: Int?
    public var fitColdWarmup: Int?
    public var fitSamples: Int?
    public var fitHurrySeconds: Double?

    /// No settings.
    public init() {}

    /// Sets `key` from `value`; `label` names the setting in messages (`option '--threshold'`,
    /// `study.json: field 'threshold'`).
    public mutating func set(_ key: String, _ value: Value, label: String) throws(ConfigError) {
        let reader = SettingReader(value: value, label: label)
        switch key {
        case "runs": runs = try reader.text("a folder path")
        case "state": state = try reader.text("a folder path")
        case "listen":
            let text = try reader.text("unix:PATH or tcp:127.0.0.1:PORT")
            do { listen = try ListenAddress.parse(text) } catch { throw ConfigError("\(label): '\(text)': \(error.reason)") }
        case "metric": metric = try reader.text("a metric name (a column, key or tag)")
        case "direction":
            let text = try reader.text("minimize or maximize")
            guard let parsed = OptimizationDirection(rawValue: text) else {
                throw ConfigError("\(label): '\(text)' is not minimize or maximize")
            }
            direction = parsed
        case "horizon": horizon = try reader.number("the planned last step, a number > 0") { $0 > 0 }
        case "target":
            if case .text(let text) = value, text == "best" {
                target = .bestSoFar
            } else {
                target = .value(try reader.number("a metric value or \"best\"") { _ in true })
            }
        case "threshold": threshold = try reader.number("a probability strictly between 0 and 1") { $0 > 0 && $0 < 1 }
        case "minimum_points": minimumPoints = try reader.integer(in: 0...1_000_000)
        case "warmup_steps": warmupSteps = try reader.number("a step >= 0") { $0 >= 0 }
        case "consecutive_votes": consecutiveVotes = try reader.integer(in: 1...1_000)
        case "model": model = try reader.text("a model name or auto")
        case "poll_seconds": pollSeconds = try reader.number("seconds from 0.05 to 60") { $0 >= 0.05 && $0 <= 60 }
        case "debounce_seconds": debounceSeconds = try reader.number("seconds from 0 to 3600") { $0 >= 0 && $0 <= 3_600 }
        case "workers": workers = try reader.integer(in: 1...64)
        case "fit_chains": fitChains = try reader.integer(in: 1...16)
        case "fit_warmup": fitWarmup = try reader.integer(in: 0...10_000)
        case "fit_cold_warmup": fitColdWarmup = try reader.integer(in: 0...10_000)
        case "fit_samples": fitSamples = try reader.integer(in: 10...100_000)
        case "fit_hurry_seconds": fitHurrySeconds = try reader.number("seconds > 0") { $0 > 0 }
        default:
            throw ConfigError("\(label): unknown setting; the settings are \(Self.keys.joined(separator: ", "))")
        }
    }

    /// Reads a config file (see the type's documentation).
    public static func load(configFile url: URL) throws(ConfigError) -> WatchOptions {
        let name = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError("\(name): cannot read the config file (\(error.localizedDescription)); check the path")
        }
        let members: [String: Value]
        do {
            members = try JSONDecoder().decode([String: Value].self, from: data)
        } catch {
            throw ConfigError("\(name): not a JSON object of settings (\(Self.describe(error))); see 'curvecast watch --help'")
        }
        var options = WatchOptions()
        for key in members.keys.sorted() {
            // The keys were decoded from this dictionary, so the lookup cannot fail.
            try options.set(key, members[key] ?? .null, label: "\(name): field '\(key)'")
        }
        let folder = url.deletingLastPathComponent()
        func relative(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/"), !path.hasPrefix("~") else { return path }
            return folder.appendingPathComponent(path).path
        }
        options.runs = relative(options.runs)
        options.state = relative(options.state)
        if case .unix(let path)? = options.listen, let resolved = relative(path) { options.listen = .unix(path: resolved) }
        return options
    }

    /// These options, with the unset ones taken from `base`.
    public func merged(over base: WatchOptions) -> WatchOptions {
        WatchOptions(
            runs: runs ?? base.runs, state: state ?? base.state, listen: listen ?? base.listen,
            metric: metric ?? base.metric, direction: direction ?? base.direction, horizon: horizon ?? base.horizon,
            target: target ?? base.target, threshold: threshold ?? base.threshold,
            minimumPoints: minimumPoints ?? base.minimumPoints, warmupSteps: warmupSteps ?? base.warmupSteps,
            consecutiveVotes: consecutiveVotes ?? base.consecutiveVotes, model: model ?? base.model,
            pollSeconds: pollSeconds ?? base.pollSeconds, debounceSeconds: debounceSeconds ?? base.debounceSeconds,
            workers: workers ?? base.workers, fitChains: fitChains ?? base.fitChains, fitWarmup: fitWarmup ?? base.fitWarmup,
            fitColdWarmup: fitColdWarmup ?? base.fitColdWarmup, fitSamples: fitSamples ?? base.fitSamples,
            fitHurrySeconds: fitHurrySeconds ?? base.fitHurrySeconds)
    }

    private init(
        runs: String?, state: String?, listen: ListenAddress?, metric: String?, direction: OptimizationDirection?,
        horizon: Double?, target: StudyConfiguration.Target?, threshold: Double?, minimumPoints: Int?,
        warmupSteps: Double?, consecutiveVotes: Int?, model: String?, pollSeconds: Double?, debounceSeconds: Double?,
        workers: Int?, fitChains: Int?, fitWarmup: Int?, fitColdWarmup: Int?, fitSamples: Int?, fitHurrySeconds: Double?
    ) {
        (self.runs, self.state, self.listen, self.metric, self.direction) = (runs, state, listen, metric, direction)
        (self.horizon, self.target, self.threshold, self.minimumPoints) = (horizon, target, threshold, minimumPoints)
        (self.warmupSteps, self.consecutiveVotes, self.model) = (warmupSteps, consecutiveVotes, model)
        (self.pollSeconds, self.debounceSeconds, self.workers) = (pollSeconds, debounceSeconds, workers)
        (self.fitChains, self.fitWarmup, self.fitColdWarmup, self.fitSamples) = (fitChains, fitWarmup, fitColdWarmup, fitSamples)
        self.fitHurrySeconds = fitHurrySeconds
    }

    /// The configuration, with relative paths resolved against `currentDirectory`.
    ///
    /// - Throws: when `runs`, `state` or `horizon` is missing.
    public func resolve(currentDirectory: URL) throws(ConfigError) -> WatchConfiguration {
        func absolute(_ path: String) -> URL {
            let expanded = (path as NSString).expandingTildeInPath
            return expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : currentDirectory.appendingPathComponent(expanded)
        }
        guard let runs else { throw ConfigError("no runs folder: give --runs DIR (or \"runs\" in the config file)") }
        guard let state else { throw ConfigError("no state folder: give --state DIR (or \"state\" in the config file)") }
        guard let horizon else {
            throw ConfigError("no horizon: give --horizon STEP, the planned last step of the runs (or \"horizon\" in the config file)")
        }
        var study = StudyConfiguration(horizon: horizon)
        study.metric = metric ?? study.metric
        study.direction = direction ?? study.direction
        study.target = target ?? study.target
        study.rule.threshold = threshold ?? study.rule.threshold
        study.rule.minimumPoints = minimumPoints ?? study.rule.minimumPoints
        study.rule.warmupSteps = warmupSteps ?? study.rule.warmupSteps
        study.rule.consecutiveVotes = consecutiveVotes ?? study.rule.consecutiveVotes
        if let model { study.model = model == "auto" ? nil : model }
        let stateURL = absolute(state)
        var listenAddress = listen
        if case .unix(let path)? = listen { listenAddress = .unix(path: absolute(path).path) }
        var configuration = WatchConfiguration(
            runsDirectory: absolute(runs), stateDirectory: stateURL, study: study, listen: listenAddress)
        if case .unix(let path) = configuration.listen, path.utf8.count > ListenAddress.maximumUnixPathLength {
            throw ConfigError("the socket path \(path) is longer than Linux allows (\(ListenAddress.maximumUnixPathLength) bytes); pass --listen unix:SHORTER_PATH")
        }
        configuration.pollInterval = pollSeconds ?? configuration.pollInterval
        configuration.debounce = debounceSeconds ?? configuration.debounce
        configuration.workers = workers ?? configuration.workers
        configuration.budget.chains = fitChains ?? configuration.budget.chains
        configuration.budget.warmWarmup = fitWarmup ?? configuration.budget.warmWarmup
        configuration.budget.coldWarmup = fitColdWarmup ?? configuration.budget.coldWarmup
        configuration.budget.samples = fitSamples ?? configuration.budget.samples
        configuration.budget.hurryAfter = fitHurrySeconds ?? configuration.budget.hurryAfter
        return configuration
    }

    private static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .dataCorrupted(let context): return (context.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String ?? context.debugDescription
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
                return context.debugDescription
            @unknown default: return "\(decoding)"
            }
        }
        return "\(error)"
    }
}

/// Typed reading of one setting, with messages naming it.
private struct SettingReader {
    var value: WatchOptions.Value
    var label: String

    func text(_ expected: String) throws(WatchOptions.ConfigError) -> String {
        guard case .text(let text) = value, !text.isEmpty else { throw mismatch(expected) }
        return text
    }

    func number(_ expected: String, accept: (Double) -> Bool) throws(WatchOptions.ConfigError) -> Double {
        let number: Double?
        switch value {
        case .number(let x): number = x
        case .text(let text): number = Double(text)
        default: number = nil
        }
        guard let number, number.isFinite, accept(number) else { throw mismatch(expected) }
        return number
    }

    func integer(in range: ClosedRange<Int>) throws(WatchOptions.ConfigError) -> Int {
        let expected = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        let number = try self.number(expected) { $0 == $0.rounded() && $0 >= Double(range.lowerBound) && $0 <= Double(range.upperBound) }
        return Int(number)
    }

    private func mismatch(_ expected: String) -> WatchOptions.ConfigError {
        let shown: String
        switch value {
        case .text(let text): shown = "'\(text)'"
        case .number(let x): shown = JSON.format(x)
        case .bool(let flag): shown = flag ? "true" : "false"
        case .null: shown = "null"
        case .other(let kind): shown = kind
        }
        return WatchOptions.ConfigError("\(label): \(shown) is not \(expected)")
    }
}

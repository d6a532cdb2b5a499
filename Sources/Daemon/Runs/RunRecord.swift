import Foundation
import RunLogs

/// Where a run's points come from.
enum RunOrigin: String, Sendable {
    /// A log file or run directory in the runs folder.
    case log
    /// Points pushed with POST /runs/{id}/points (kept in `STATE/pushed/RUN.jsonl`).
    case pushed
}

/// What the daemon knows about one run right now (held by `RunRegistry`).
struct RunRecord: Sendable {
    let id: String
    var source: String
    var origin: RunOrigin
    var format: LogFormat?
    /// The metric's points (steps strictly increasing), in the metric's own units.
    var steps: [Double] = []
    var values: [Double] = []
    /// Read warnings (dropped NaN/inf values, replaced steps).
    var issues: [String] = []
    /// Why the run's log cannot be used now (unreadable, malformed, bad values); nil when fine.
    var problem: String?
    /// The log disappeared from the runs folder (the last decision is kept).
    var missing = false
    /// Bumped whenever the points or the problem change.
    var version = 0
    /// Whether this process has read the run's log yet.
    var observed = false
    /// The persisted state (stop votes, adaptation, kappa).
    var state: RunState
    /// The last successful fit.
    var fit: FittedRun?
    /// Why the last fit failed (cleared by a successful one).
    var fitProblem: String?
    /// The last published decision.
    var decision: PublishedDecision?
    /// When the last fit ended (monotonic seconds), and how long it took.
    var lastFitSeconds: Double?

    init(id: String, source: String, origin: RunOrigin, state: RunState) {
        self.id = id
        self.source = source
        self.origin = origin
        self.state = state
    }

    /// The newest step, if any.
    var lastStep: Double? { steps.last }
}

/// A run's last successful fit.
struct FittedRun: Sendable {
    var outcome: RunFitter.Outcome
    /// The record version and points the fit saw.
    var version: Int
    var points: Int
    var lastStep: Double
}

/// A decision as published, with the figures the API lists without parsing it again.
struct PublishedDecision: Sendable {
    /// The decision file's JSON (without the trailing newline).
    var bytes: [UInt8]
    var source: String?
    var verdict: String
    var probability: Double?
    var lastStep: Double?
    var points: Int
    /// The forecast median at the horizon (for the "best forecast" target of other runs).
    var horizonMedian: Double?
    var generatedAt: String

    /// Seconds since the decision was made (0 if unknown).
    var age: Double {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: generatedAt) else { return 0 }
        return max(Date().timeIntervalSince(date), 0)
    }

    /// The published form of `record`.
    init(_ record: DecisionRecord) {
        bytes = record.json.bytes
        source = record.source
        verdict = record.verdict.rawValue
        probability = record.probability
        lastStep = record.lastStep
        points = record.points
        horizonMedian = record.forecast?.median
        generatedAt = DecisionRecord.timestamp(record.generatedAt)
    }

    /// A decision file written by an earlier process; nil unless it is a JSON object with a
    /// `decision`.
    init?(bytes: [UInt8]) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
              let verdict = object["decision"] as? String else { return nil }
        self.bytes = bytes
        self.verdict = verdict
        source = object["source"] as? String
        probability = object["probability"] as? Double
        lastStep = object["last_step"] as? Double
        points = object["points"] as? Int ?? 0
        let quantiles = (object["forecast"] as? [String: Any])?["quantiles"] as? [String: Any]
        horizonMedian = quantiles?["0.5"] as? Double
        generatedAt = object["generated_at"] as? String ?? ""
    }
}

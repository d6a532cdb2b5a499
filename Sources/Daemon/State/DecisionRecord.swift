import EarlyStopping
import Forecasting
import Foundation
import Sampling

/// The published decision of one run: `STATE/decisions/RUN.json` and GET /runs/{id}/decision.
///
/// One JSON object (schema version 1), members in this order:
/// ```
/// schema_version  1
/// run             the run id
/// source          the log file or run directory (pushed runs: the points file in the state folder)
/// metric, direction
/// points          points of the metric read so far; last_step, last_value: the newest (null if none)
/// horizon         the study's planned last step
/// target          {"value", "kind": "fixed" | "best_observed" | "best_forecast", "run": the run it
///                 came from or null}, or null when there is none yet
/// forecast        the metric at the horizon: {"step", "mean", "quantiles": {"0.025": v, ..., "0.975": v}},
///                 or null (no fit yet, or an error)
/// decision        "continue", "stop" or "error" (the run's log or its fit failed; see "error")
/// probability     P(metric at the horizon beats the target), null when not computed
/// stop_votes      consecutive stop votes (the rule stops after `consecutive_votes`)
/// reason          the decision in words
/// model           {"name", "components": [{"name", "weight"}], "discrepancy_rate", "fit": "cold" | "warm",
///                 "hurried" (half the draws, under a backlog), "fitted_points", "seconds", "cpu_seconds"}, or null
/// diagnostics     {"pass", "chains", "draws_per_chain", "divergences", "max_rhat", "min_ess_bulk",
///                 "min_ess_tail", "warnings": [...]}, plus, when a vote was taken, "decision_pass",
///                 "chain_votes" (one per chain, a lone chain's two halves; true = stop) and
///                 "decision_problems"; `stop` needs "decision_pass" (see `DecisionDiagnostics`);
///                 "pass" is the strict all-parameter test, reported only. null without a fit
/// error           what is wrong with the run (file, line, field, what to do), or null
/// issues          read warnings (dropped NaN/inf values, replaced steps of a resumed run)
/// generated_at    ISO 8601 UTC time of the decision
/// ```
struct DecisionRecord: Sendable {
    static let schemaVersion = 1

    enum Verdict: String, Sendable {
        case `continue`, stop, error
    }

    /// Where the target came from.
    struct Target: Sendable {
        enum Kind: String, Sendable {
            case fixed, bestObserved = "best_observed", bestForecast = "best_forecast"
        }
        var value: Double
        var kind: Kind
        var run: String?
    }

    var run: String
    var source: String
    var metric: String
    var direction: OptimizationDirection
    var points: Int
    var lastStep: Double?
    var lastValue: Double?
    var horizon: Double
    var target: Target?
    var forecast: HorizonForecast?
    var verdict: Verdict
    var probability: Double?
    var stopVotes = 0
    var reason: String
    var model: JSON = .null
    var diagnostics: JSON = .null
    var error: String?
    var issues: [String] = []
    var generatedAt = Date()

    var json: JSON {
        var target = JSON.null
        if let t = self.target {
            target = .object([("value", .number(t.value)), ("kind", .string(t.kind.rawValue)), ("run", .string(t.run))])
        }
        return .object([
            ("schema_version", .integer(Self.schemaVersion)), ("run", .string(run)), ("source", .string(source)),
            ("metric", .string(metric)), ("direction", .string(direction.rawValue)), ("points", .integer(points)),
            ("last_step", .number(lastStep)), ("last_value", .number(lastValue)), ("horizon", .number(horizon)),
            ("target", target), ("forecast", forecast?.json ?? .null), ("decision", .string(verdict.rawValue)),
            ("probability", .number(probability)), ("stop_votes", .integer(stopVotes)), ("reason", .string(reason)),
            ("model", model), ("diagnostics", diagnostics), ("error", .string(error)),
            ("issues", .array(issues.map(JSON.string))), ("generated_at", .string(Self.timestamp(generatedAt))),
        ])
    }

    /// The model member from a fit.
    static func model(_ outcome: RunFitter.Outcome) -> JSON {
        let result = outcome.result
        return .object([
            ("name", .string(result.modelLabel)),
            ("components", .array(result.components.map { .object([("name", .string($0.fit.posterior.model.name)), ("weight", .number($0.weight))]) })),
            ("discrepancy_rate", .number(result.discrepancyRate)), ("fit", .string(outcome.warm ? "warm" : "cold")),
            ("hurried", .bool(outcome.hurried)),
            ("fitted_points", .integer(result.components.first?.fit.posterior.data.steps.count ?? 0)),
            ("seconds", .number(rounded(outcome.seconds))), ("cpu_seconds", .number(rounded(outcome.cpuSeconds))),
        ])
    }

    /// The diagnostics member from a fit (all components' parameters pooled) and, when a vote was
    /// taken, the decision's own check (`DecisionDiagnostics`): `decision_pass`, `chain_votes`
    /// (true: stop; a lone chain's two halves) and `decision_problems`.
    static func diagnostics(_ result: ForecastResult, decision: DecisionDiagnostics?) -> JSON {
        let summaries = result.components.map(\.fit.summary)
        let parameters = summaries.flatMap(\.parameters)
        let divergences = summaries.reduce(0) { $0 + ($1.sampler?.divergences.reduce(0, +) ?? 0) }
        func extreme(_ values: [Double], max: Bool) -> Double? {
            let finite = values.filter(\.isFinite)
            return max ? finite.max() : finite.min()
        }
        return .object([
            ("pass", .bool(result.diagnosticsPass)), ("chains", .integer(summaries.first?.chains ?? 0)),
            ("draws_per_chain", .integer(summaries.first?.drawsPerChain ?? 0)), ("divergences", .integer(divergences)),
            ("max_rhat", .number(extreme(parameters.map(\.rhat), max: true))),
            ("min_ess_bulk", .number(extreme(parameters.map(\.essBulk), max: false))),
            ("min_ess_tail", .number(extreme(parameters.map(\.essTail), max: false))),
            ("warnings", .array(result.components.flatMap { c in c.fit.summary.warnings.map { JSON.string("\(c.fit.posterior.model.name): \($0.message)") } })),
        ] + (decision.map { d in [
            ("decision_pass", JSON.bool(d.pass)),
            ("chain_votes", d.chainVotes.map { JSON.array($0.map(JSON.bool)) } ?? .null),
            ("decision_problems", JSON.array(d.problems.map(JSON.string))),
        ] } ?? []))
    }

    private static func rounded(_ seconds: Double) -> Double { (seconds * 10_000).rounded() / 10_000 }

    /// `2026-11-23T10:15:02.123Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

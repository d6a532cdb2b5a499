import EarlyStopping
import Forecasting
import Sampling

/// What `curvecast decide` prints: the text and JSON forms of a decision (see `DecideCommand.help`).
extension DecideCommand {
    /// The forecast at the horizon on the metric's scale.
    struct Forecast {
        var mean: Double
        var quantiles: [(text: String, value: Double)]

        init(draws: [Double]) {
            let finite = draws.filter(\.isFinite)
            mean = finite.reduce(0, +) / Double(max(finite.count, 1))
            let levels = ForecastCommand.defaultQuantiles
            let values = MCMCDiagnostics.quantiles(finite, probabilities: levels.map { Double($0)! })
            quantiles = Array(zip(levels, values))
        }

        func quantile(_ text: String) -> Double { quantiles.first { $0.text == text }?.value ?? .nan }
    }

    func json(_ fitting: CurveFitting, _ decision: StoppingDecision, _ diagnostics: DecisionDiagnostics,
              _ forecast: Forecast, target: Double, source: BestFinal?) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("decision", .string(decision.verdict.rawValue)),
            ("probability", decision.probability.map(JSONValue.number) ?? .null),
            ("target", .number(target)),
            ("target_source", source.map { .object([("kind", .string("best_of")), ("file", .string($0.file)), ("step", .number($0.step))]) }
                ?? .object([("kind", .string("value"))])),
            ("horizon", .number(horizon)),
        ]
        if let gain = minimumGainPerStep {
            members.append(("min_gain_per_step", .number(gain)))
            members.append(("expected_improvement", decision.expectedImprovement.map(JSONValue.number) ?? .null))
        } else {
            members.append(("threshold", .number(rule.threshold)))
        }
        members.append(("stop_votes", .integer(decision.stopVotes)))
        members.append(("forecast", .object([
            ("mean", .number(forecast.mean)),
            ("quantiles", .object(forecast.quantiles.map { ($0.text, .number($0.value)) })),
        ])))
        members.append(("reason", .string(decision.reason)))
        let header = FitReport.header(fitting).filter { ["model", "file", "metric", "direction", "fit_until", "points"].contains($0.0) }
        members += header
        members.append(("decision_diagnostics", .object([
            ("pass", .bool(diagnostics.pass)),
            ("chain_votes", diagnostics.chainVotes.map { .array($0.map { .string($0 ? "stop" : "continue") }) } ?? .null),
            ("divergence_rate", .number(diagnostics.divergenceRate)),
            ("problems", .array(diagnostics.problems.map(JSONValue.string))),
        ])))
        members.append(("diagnostics", FitReport.diagnostics(fitting.result)))
        return .object(members)
    }

    func text(_ fitting: CurveFitting, _ decision: StoppingDecision, _ diagnostics: DecisionDiagnostics,
              _ forecast: Forecast, target: Double, source: BestFinal?) -> String {
        let result = fitting.result
        let shownTarget = NumberFormat.significant(target)
        let targetLine = source.map { "target \(shownTarget): the best final value, of \($0.file) at step \(NumberFormat.step($0.step))" }
            ?? "target \(shownTarget) (--target)"
        var rule = "P(final beats target) = " + (decision.probability.map { NumberFormat.significant($0, 3) } ?? "-")
        if let gain = minimumGainPerStep {
            rule += "; E[improvement] = " + (decision.expectedImprovement.map { NumberFormat.significant($0, 3) } ?? "-")
                + " (stop below \(NumberFormat.significant(gain, 3)) per remaining step)"
        } else {
            rule += " (stop below \(NumberFormat.significant(self.rule.threshold, 3)))"
        }
        let models = result.components.map { $0.fit.posterior.model.name }.joined(separator: ", ")
        return [
            "decision: \(decision.verdict.rawValue)",
            rule,
            targetLine,
            "forecast at step \(NumberFormat.step(horizon)): mean \(NumberFormat.significant(forecast.mean)), median \(NumberFormat.significant(forecast.quantile("0.5"))), 95% interval [\(NumberFormat.significant(forecast.quantile("0.025"))), \(NumberFormat.significant(forecast.quantile("0.975")))]",
            "reason: \(decision.reason)",
            "\(fitting.curve.file): model \(result.modelLabel == "auto" ? "auto (\(models))" : models), \(fitting.fittedCount) points fitted up to step \(NumberFormat.step(result.fitUntil))",
            "diagnostics: decision \(diagnostics.pass ? "pass" : "FAIL (" + diagnostics.problems.joined(separator: "; ") + ")"), all parameters \(result.diagnosticsPass ? "pass" : "FAIL (see 'curvecast fit')")",
        ].joined(separator: "\n")
    }
}

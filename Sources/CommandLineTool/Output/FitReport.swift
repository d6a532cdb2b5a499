import CurveModels
import Forecasting
import Sampling

/// The JSON and text forms of a fit, shared by `fit`, `fit --save` and `forecast`.
///
/// `fit --format json` prints one object:
/// ```
/// {
///   "model": "power_law",            // the --model name, or "auto"
///   "file": "run.csv", "metric": "loss", "direction": "minimize",
///   "modeled": "value",              // or "1 - value" (--direction maximize)
///   "scale": "log", "fit_until": 16695, "points": 35,
///   "schedule": "lr column",         // where the learning-rate schedule came from, or null
///   "runs": [{"file", "points", "fit_until", "schedule"}, ...],   // joint fits only
///   "parameters": {                  // only when there is exactly one component
///     "E": {"mean", "sd", "q05", "q50", "q95", "ess_bulk", "ess_tail", "rhat"}, ...
///   },                               // model parameters, then noise (sigma, rho or nu), constrained
///   "diagnostics": DIAGNOSTICS,      // of the one component, or the merged form below
///   "components": [{"model", "weight", "noise", "parameters", "diagnostics"}, ...]
/// }
/// ```
/// DIAGNOSTICS of one fit: `{"pass": bool, "chains": n, "draws_per_chain": n, "transitions": [per
/// chain], "divergences": [per chain], "tree_depth_hits": [per chain], "max_tree_depth": 10,
/// "ebfmi": [per chain], "step_sizes": [per chain], "leapfrog_steps": [per chain], "warnings": [text]}`.
/// With several components the top-level diagnostics are `{"pass": every component with weight
/// >= 1% passes, "warnings": ["model: text", ...]}`, and each component has its own full form.
/// Non-finite numbers (an undefined R-hat) are `null`.
enum FitReport {
    static func parameters(_ summary: PosteriorSummary) -> JSONValue {
        .object(summary.parameters.map { p in
            (p.name, .object([
                ("mean", .number(p.mean)), ("sd", .number(p.standardDeviation)), ("q05", .number(p.q5)),
                ("q50", .number(p.q50)), ("q95", .number(p.q95)), ("ess_bulk", .number(p.essBulk)),
                ("ess_tail", .number(p.essTail)), ("rhat", .number(p.rhat)),
            ]))
        })
    }

    static func diagnostics(_ fit: CurveFit) -> JSONValue {
        let summary = fit.summary
        var members: [(String, JSONValue)] = [
            ("pass", .bool(fit.diagnosticsPass)), ("chains", .integer(summary.chains)),
            ("draws_per_chain", .integer(summary.drawsPerChain)),
        ]
        if let s = summary.sampler {
            members += [
                ("transitions", .array(s.transitions.map(JSONValue.integer))),
                ("divergences", .array(s.divergences.map(JSONValue.integer))),
                ("tree_depth_hits", .array(s.treeDepthHits.map(JSONValue.integer))),
                ("max_tree_depth", .integer(s.maximumTreeDepth)),
                ("ebfmi", .array(s.energyBFMI.map(JSONValue.number))),
                ("step_sizes", .array(s.stepSizes.map(JSONValue.number))),
                ("leapfrog_steps", .array(s.leapfrogSteps.map(JSONValue.integer))),
            ]
        }
        members.append(("warnings", .array(summary.warnings.map { .string($0.message) })))
        return .object(members)
    }

    /// The diagnostics of a result: a single component's, or the merged form.
    static func diagnostics(_ result: ForecastResult) -> JSONValue {
        if result.components.count == 1 { return diagnostics(result.components[0].fit) }
        let warnings = result.components.flatMap { c in
            c.fit.summary.warnings.map { JSONValue.string("\(c.fit.posterior.model.name): \($0.message)") }
        }
        return .object([("pass", .bool(result.diagnosticsPass)), ("warnings", .array(warnings))])
    }

    /// Where the numbers come from: file, metric, direction, scale, fitted range.
    static func header(_ fitting: CurveFitting) -> [(String, JSONValue)] {
        let curve = fitting.curve
        var members: [(String, JSONValue)] = [
            ("model", .string(fitting.result.modelLabel)), ("file", .string(curve.file)),
            ("metric", .string(curve.metric)), ("direction", .string(curve.direction.rawValue)),
            ("modeled", .string(curve.direction == .maximize ? "1 - value" : "value")),
            ("scale", .string(curve.scale.rawValue)), ("fit_until", .number(fitting.result.fitUntil)),
            ("points", .integer(fitting.fittedCount)),
            ("schedule", curve.scheduleSource.map(JSONValue.string) ?? .null),
        ]
        if !fitting.jointRuns.isEmpty {
            members.append(("runs", .array(fitting.jointRuns.map { run in
                .object([
                    ("file", .string(run.curve.file)), ("points", .integer(run.points)),
                    ("fit_until", .number(run.fitUntil)),
                    ("schedule", run.curve.scheduleSource.map(JSONValue.string) ?? .null),
                ])
            })))
        }
        return members
    }

    /// The `fit --format json` object (also written by `--save` as summary.json).
    static func json(_ fitting: CurveFitting) -> JSONValue {
        let result = fitting.result
        var members = header(fitting)
        if result.components.count == 1 { members.append(("parameters", parameters(result.components[0].fit.summary))) }
        members.append(("diagnostics", diagnostics(result)))
        members.append(("components", .array(result.components.map { c in
            .object([
                ("model", .string(c.fit.posterior.model.name)), ("weight", .number(c.weight)),
                ("noise", .string(c.fit.posterior.noiseFamily.rawValue)),
                ("parameters", parameters(c.fit.summary)), ("diagnostics", diagnostics(c.fit)),
            ])
        })))
        return .object(members)
    }

    /// The `fit --format table` text: a header per component, then the stansummary-style table,
    /// the sampler's numbers and the warnings.
    static func text(_ fitting: CurveFitting) -> String {
        let result = fitting.result
        let curve = fitting.curve
        var lines: [String] = []
        let modeled = curve.direction == .maximize ? "1 - \(curve.metric)" : curve.metric
        if fitting.jointRuns.isEmpty {
            let schedule = curve.scheduleSource.map { ", schedule from \($0)" } ?? ""
            lines.append("\(curve.file): \(modeled), \(fitting.fittedCount) points up to step \(NumberFormat.step(result.fitUntil)), \(curve.scale.rawValue) scale\(schedule)")
        } else {
            lines.append("\(fitting.jointRuns.count) runs fitted jointly (shared parameters, normalized at step \(NumberFormat.step(result.fitUntil))): \(modeled), \(curve.scale.rawValue) scale")
            for run in fitting.jointRuns {
                lines.append("  \(run.curve.file): \(run.points) points up to step \(NumberFormat.step(run.fitUntil)), schedule from \(run.curve.scheduleSource ?? "none")")
            }
        }
        if result.components.count > 1 {
            lines.append("model auto: \(result.components.count) components, diagnostics \(result.diagnosticsPass ? "pass" : "FAIL")")
        }
        for c in result.components {
            let model = c.fit.posterior.model
            lines.append("")
            var title = "model \(model.name): \(model.description); noise \(c.fit.posterior.noiseFamily.rawValue)"
            if result.components.count > 1 { title += "; weight \(NumberFormat.significant(c.weight, 3))" }
            lines.append(title)
            lines.append(c.fit.summary.description)
            lines.append("Diagnostics: \(c.fit.diagnosticsPass ? "pass" : "FAIL (see the warnings; do not trust this fit)")")
        }
        return lines.joined(separator: "\n")
    }
}

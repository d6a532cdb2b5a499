import Forecasting
import Foundation

/// `curvecast forecast FILE` (and `curvecast demo`): predictive means and quantiles at future steps.
///
/// `--format json` prints one object (stable; also in `--help`):
/// ```
/// {"model": "power_law" | "auto", "file", "metric", "direction", "modeled", "scale",
///  "fit_until": 16695, "points": 35,
///  "diagnostics": {...},             // as in `fit --format json`
///  "forecasts": [{"step": 25043, "mean": 3.61, "quantiles": {"0.025": 3.55, ..., "0.975": 3.70}}, ...]}
/// ```
/// Steps in the order given (`--at`) or increasing (the grid); quantile keys are the levels as the
/// user wrote them in `--quantiles`, increasing; values on the metric's original scale. The demo
/// adds `"observed"` (the held-out value, or null) to each forecast.
struct ForecastCommand {
    typealias Failure = CommandLineTool.Failure

    enum Format: String, CaseIterable { case table, csv, json }

    /// How far to forecast: a multiple of the last fitted step, or a step.
    enum Horizon: Equatable {
        case multiple(Double)
        case step(Double)

        func step(lastFitted: Double) -> Double {
            switch self {
            case .multiple(let m): return m * lastFitted
            case .step(let s): return s
            }
        }
    }

    /// The grid of the default steps, in multiples of the last fitted step; the grid stops below
    /// the horizon, which is always the last step.
    static let gridMultiples: [Double] = [1.5, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000]
    static let defaultHorizon = Horizon.multiple(10)
    /// The default quantile levels (DESIGN.md, "Forecasts"), as written in the output's keys.
    static let defaultQuantiles = ["0.025", "0.1", "0.25", "0.5", "0.75", "0.9", "0.975"]
    /// The demo fits this fraction of the bundled curve's steps.
    static let demoFraction = 0.2

    var curve: CurveOptions
    var format = Format.table
    var at: [Double]?
    var horizon = ForecastCommand.defaultHorizon
    /// Levels, increasing, with the text the user wrote.
    var quantiles: [(text: String, level: Double)] = ForecastCommand.defaultQuantiles.map { ($0, Double($0)!) }

    static let parser = ArgumentParser(
        command: "forecast",
        options: CurveOptions.parserOptions + [
            .value("format", "table|csv|json"), .value("at", "STEP,STEP,..."), .value("horizon", "Nx|STEP"),
            .value("quantiles", "P,P,..."), .flag("demo"),
        ])

    static let help = """
    usage: curvecast forecast FILE [--model NAME|auto] [--fit-until STEP] [--at STEP,STEP,...]
                                   [--horizon 10x] [--quantiles 0.025,...,0.975]
                                   [--format table|csv|json] [options]
           curvecast forecast --demo [options]     (same as 'curvecast demo')

    Fits the curve in FILE (up to --fit-until) and prints the posterior predictive forecast of the
    metric at later steps: the mean and quantiles, noise included, on the metric's own scale.

    Where:
      --at STEP,STEP,...        forecast at these steps, in this order
      --horizon Nx|STEP         forecast up to N times the last fitted step (e.g. 10x, the default)
                                or up to a step (e.g. 500000). Without --at the steps are the last
                                fitted step times 1.5, 2, 3, 5, 10, 20, 50, 100, ... below the horizon,
                                then the horizon itself (10x: 1.5x, 2x, 3x, 5x, 10x). Steps are
                                rounded to whole numbers when the logged steps are whole numbers.
      --quantiles P,P,...       quantile levels in (0, 1) (default 0.025,0.1,0.25,0.5,0.75,0.9,0.975);
                                reported in increasing order
      --demo                    forecast the curve bundled with curvecast (a real validation-loss
                                curve, see 'curvecast demo --help') from its first 20% of steps to
                                10x, next to the held-out truth

    Output:
      --format table|csv|json   table (default): aligned columns step, mean, q<level>...
                                csv: header 'step,mean,q0.025,...' and one row per step.
                                json: one object:
        {"model": NAME or "auto", "file", "metric", "direction", "modeled", "scale",
         "fit_until": last fitted step, "points": fitted points,
         "diagnostics": {...as in 'curvecast fit --format json'...},
         "forecasts": [{"step": S, "mean": M, "quantiles": {"0.025": V, ...}}, ...]}
        Quantile keys are the levels as written in --quantiles. The demo adds "observed" (the held-out
        value at that step, or null) to each forecast and an 'observed' column to table and csv.

    \(CurveOptions.help)

    Exit status: 0 done (a fit whose diagnostics fail is reported on stderr and in the output),
    1 the fit failed, 2 bad command line or input.
    """

    init(_ parsed: ArgumentParser.Parsed, command: String = "forecast", demo: Bool = false) throws(Failure) {
        var parsed = parsed
        if demo { parsed.flags.insert("demo") }
        curve = try CurveOptions(parsed, command: command, allowsDemo: true)
        format = try parsed.choice("format", Format.allCases.map(\.rawValue), command: command).flatMap(Format.init) ?? format
        at = try parsed.numberList("at", command: command, expected: "a step > 0") { $0 > 0 }?.map(\.value)
        if let text = parsed.string("horizon") {
            guard at == nil else { throw .usage("give --at or --horizon, not both", command: command) }
            horizon = try Self.parseHorizon(text, command: command)
        }
        if let levels = try parsed.numberList("quantiles", command: command, expected: "a level between 0 and 1 (e.g. 0.9)", accept: { $0 > 0 && $0 < 1 }) {
            let sorted = levels.sorted { $0.value < $1.value }
            for (a, b) in zip(sorted, sorted.dropFirst()) where a.value == b.value {
                throw .usage("option '--quantiles': level \(a.text) is given twice (as '\(a.text)' and '\(b.text)'); give each level once", command: command)
            }
            quantiles = sorted.map { ($0.text, $0.value) }
        }
    }

    static func parseHorizon(_ text: String, command: String) throws(Failure) -> Horizon {
        if text.hasSuffix("x") || text.hasSuffix("X") {
            if let m = ArgumentParser.Parsed.number(String(text.dropLast())), m > 1 { return .multiple(m) }
            throw .usage("option '--horizon': '\(text)' is not a multiple > 1 of the last fitted step (e.g. 10x)", command: command)
        }
        if let s = ArgumentParser.Parsed.number(text), s > 0 { return .step(s) }
        throw .usage("option '--horizon': '\(text)' is not a multiple like 10x or a step > 0", command: command)
    }

    /// The steps to forecast: `--at`, else the grid up to the horizon.
    static func forecastSteps(at: [Double]?, horizon: Horizon, lastFitted: Double, wholeSteps: Bool) throws(Failure) -> [Double] {
        if let at { return at }
        let end = horizon.step(lastFitted: lastFitted)
        guard end > lastFitted else {
            throw Failure("--horizon: step \(NumberFormat.step(end)) is not after the last fitted step \(NumberFormat.step(lastFitted)); forecast further, or use --at for steps inside the data")
        }
        // 1e-9 relative: a horizon of exactly 10x must not also add the 10x grid point.
        var steps = gridMultiples.map { $0 * lastFitted }.filter { $0 < end * (1 - 1e-9) }
        steps.append(end)
        if wholeSteps { steps = steps.map { $0.rounded() } }
        var unique: [Double] = []
        for s in steps where unique.last != s { unique.append(s) }
        return unique
    }

    func run(context: CommandLineTool.Context, stdout: TextOutput, stderr: TextOutput) throws(Failure) {
        let warn: (String) -> Void = { stderr.line("curvecast: warning: \($0)") }
        let (loaded, options) = try CurveLoader.loadSelected(curve, context: context, warn: warn)
        let lastFitted = options.fitUntil.map { cut in loaded.steps.last { $0 <= cut } ?? cut } ?? loaded.steps[loaded.steps.count - 1]
        let whole = loaded.steps.allSatisfy { $0 == $0.rounded() }
        var steps = try Self.forecastSteps(at: at, horizon: horizon, lastFitted: lastFitted, wholeSteps: whole)
        if options.demo, at == nil { steps = DemoCurve.snap(steps, to: loaded.steps) }

        let fitting = try CurveFitting.run(curve: loaded, options: options, context: context, stderr: stderr,
                                           horizonRatio: (steps.max() ?? lastFitted) / lastFitted)
        let maximize = loaded.direction == .maximize
        // For maximize the model is of 1 - value: the p quantile of the value is 1 - the (1 - p)
        // quantile of the modeled curve.
        let levels = quantiles.map { maximize ? 1 - $0.level : $0.level }
        let points: [ForecastPoint]
        do {
            points = try fitting.result.forecast(at: steps, quantiles: levels)
        } catch {
            throw .runtime("forecasting failed: \(error)")
        }
        let rows: [Row] = points.map { p in
            Row(step: p.step, mean: loaded.metricValue(fromModeled: p.mean),
                quantiles: levels.map { loaded.metricValue(fromModeled: p.quantiles[$0] ?? .nan) },
                observed: options.demo ? DemoCurve.observed(at: p.step, steps: loaded.steps, values: loaded.values) : nil)
        }
        if !fitting.result.diagnosticsPass {
            let warnings = fitting.result.components.flatMap { c in c.fit.summary.warnings.map { "\(c.fit.posterior.model.name): \($0.message)" } }
            stderr.line("curvecast: warning: the fit's diagnostics failed; do not trust these forecasts:\n  " + warnings.joined(separator: "\n  "))
        }
        switch format {
        case .json: stdout.line(json(fitting, rows, demo: options.demo).rendered())
        case .csv: stdout.write(csv(rows, demo: options.demo))
        case .table: stdout.line(table(fitting, rows, demo: options.demo))
        }
    }

    struct Row {
        var step: Double
        var mean: Double
        /// In the order of `quantiles`.
        var quantiles: [Double]
        var observed: Double?
    }

    func json(_ fitting: CurveFitting, _ rows: [Row], demo: Bool) -> JSONValue {
        var members = FitReport.header(fitting)
        members.append(("diagnostics", FitReport.diagnostics(fitting.result)))
        members.append(("forecasts", .array(rows.map { row in
            var item: [(String, JSONValue)] = [
                ("step", .number(row.step)), ("mean", .number(row.mean)),
                ("quantiles", .object(zip(quantiles, row.quantiles).map { ($0.text, .number($1)) })),
            ]
            if demo { item.append(("observed", row.observed.map(JSONValue.number) ?? .null)) }
            return .object(item)
        })))
        return .object(members)
    }

    func csv(_ rows: [Row], demo: Bool) -> String {
        var lines = [(["step", "mean"] + quantiles.map { "q" + $0.text } + (demo ? ["observed"] : [])).joined(separator: ",")]
        for row in rows {
            var cells = [NumberFormat.exact(row.step), NumberFormat.exact(row.mean)] + row.quantiles.map(NumberFormat.exact)
            if demo { cells.append(row.observed.map(NumberFormat.exact) ?? "") }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func table(_ fitting: CurveFitting, _ rows: [Row], demo: Bool) -> String {
        let result = fitting.result
        let curve = fitting.curve
        let models = result.components.map { "\($0.fit.posterior.model.name)" + (result.components.count > 1 ? " (weight \(NumberFormat.significant($0.weight, 3)))" : "") }
        var lines = [
            "\(curve.file): \(curve.metric) (\(curve.direction.rawValue)), \(fitting.fittedCount) points fitted up to step \(NumberFormat.step(result.fitUntil)), \(curve.scale.rawValue) scale",
            "model \(result.modelLabel == "auto" ? "auto: " : "")\(models.joined(separator: ", ")); diagnostics \(result.diagnosticsPass ? "pass" : "FAIL")",
            "",
        ]
        var table = TextTable(header: ["step", "x fitted", "mean"] + quantiles.map { "q" + $0.text } + (demo ? ["observed"] : []))
        for row in rows {
            var cells = [NumberFormat.step(row.step), NumberFormat.significant(row.step / result.fitUntil, 3) + "x",
                         NumberFormat.significant(row.mean)] + row.quantiles.map { NumberFormat.significant($0) }
            if demo { cells.append(row.observed.map { NumberFormat.significant($0) } ?? "-") }
            table.append(cells)
        }
        lines.append(table.rendered)
        if !result.diagnosticsPass {
            lines.append("")
            lines.append("Diagnostics FAIL: run 'curvecast fit' on the same input for the details; do not trust these forecasts.")
        }
        return lines.joined(separator: "\n")
    }
}

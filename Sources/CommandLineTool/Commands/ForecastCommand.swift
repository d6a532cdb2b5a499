import CurveModels
import Forecasting
import Foundation

/// `curvecast forecast FILE` (and `curvecast demo`): predictive means and quantiles at future steps.
/// With `--train A.csv --train B.csv` FILE is a target run forecast from the joint posterior of
/// the training runs under its own schedule (its points fitted too only up to `--fit-until`).
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
    /// Default forecast steps of a target run that is not fitted (`--train` without `--fit-until`):
    /// its logged steps, evenly thinned to this many.
    static let targetGridPoints = 20

    var curve: CurveOptions
    var format = Format.table
    var at: [Double]?
    var horizon = ForecastCommand.defaultHorizon
    var horizonGiven = false
    /// Levels, increasing, with the text the user wrote.
    var quantiles: [(text: String, level: Double)] = ForecastCommand.defaultQuantiles.map { ($0, Double($0)!) }
    /// `--train FILE` (repeatable): runs to fit jointly; FILE is then the target.
    var train: [String] = []

    static let parser = ArgumentParser(
        command: "forecast",
        options: CurveOptions.parserOptions + CurveOptions.scheduleOptions + [
            .value("format", "table|csv|json"), .value("at", "STEP,STEP,..."), .value("horizon", "Nx|STEP"),
            .value("quantiles", "P,P,..."), .flag("demo"), .values("train", "FILE"),
        ])

    static let help = """
    usage: curvecast forecast FILE [--model NAME|auto] [--fit-until STEP] [--at STEP,STEP,...]
                                   [--horizon 10x] [--quantiles 0.025,...,0.975]
                                   [--schedule FILE|JSON] [--format table|csv|json] [options]
           curvecast forecast TARGET --train RUN1 [--train RUN2 ...] [--fit-until STEP] [options]
           curvecast forecast --demo [options]     (same as 'curvecast demo')

    Fits the curve in FILE (up to --fit-until) and prints the posterior predictive forecast of the
    metric at later steps: the mean and quantiles, noise included, on the metric's own scale.
    Schedule-aware models follow the curve's schedule at the forecast steps: with a declared
    schedule (--schedule, --manifest, NAME.schedule.json) its planned future, so passing another
    plan asks "what if" (e.g. a cooldown starting at another step); with only an lr column, the
    last logged rate held.

    From other runs:
      --train FILE              fit the training runs (repeat the option; same model size and data,
                                any schedules) jointly, sharing the law's parameters (default model
                                multi_power), and forecast TARGET under its own schedule. TARGET's
                                points are not fitted unless --fit-until STEP says how far (then
                                they join the fit up to STEP and the noise is conditioned on them).
                                Without --at/--horizon and without --fit-until the steps are TARGET's
                                logged steps (thinned to \(targetGridPoints)), with the observed value next to
                                each forecast ("observed" in json). Forecasts of a run that was not
                                fitted include a between-run discrepancy measured by leaving each
                                training run out in turn (see README, "Schedule-aware laws").

    Where:
      --at STEP,STEP,...        forecast at these steps, in this order
      --horizon Nx|STEP         forecast up to N times the last fitted step (e.g. 10x, the default)
                                or up to a step (e.g. 500000). Without --at the steps are the last
                                fitted step times 1.5, 2, 3, 5, 10, 20, 50, 100, ... below the horizon,
                                then the horizon itself (10x: 1.5x, 2x, 3x, 5x, 10x). Steps are
                                rounded to whole numbers when the logged steps are whole numbers.
                                For a --train target that is not fitted, N times its last logged step.
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
        Quantile keys are the levels as written in --quantiles. The demo (and --train with a target
        that is not fitted) adds "observed" (the held-out value at that step, or null) to each
        forecast and an 'observed' column to table and csv.

    \(CurveOptions.help)

    \(CurveOptions.scheduleHelp)

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
            horizonGiven = true
        }
        if let levels = try parsed.numberList("quantiles", command: command, expected: "a level between 0 and 1 (e.g. 0.9)", accept: { $0 > 0 && $0 < 1 }) {
            let sorted = levels.sorted { $0.value < $1.value }
            for (a, b) in zip(sorted, sorted.dropFirst()) where a.value == b.value {
                throw .usage("option '--quantiles': level \(a.text) is given twice (as '\(a.text)' and '\(b.text)'); give each level once", command: command)
            }
            quantiles = sorted.map { ($0.text, $0.value) }
        }
        train = parsed.lists["train"] ?? []
        if !train.isEmpty, curve.demo {
            throw .usage("--train forecasts the run FILE from other runs; give FILE instead of --demo", command: command)
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
        var fitting: CurveFitting
        var steps: [Double]
        let showObserved: Bool
        let loaded: LoadedCurve
        if train.isEmpty {
            let (curve, options) = try CurveLoader.loadSelected(curve, context: context, warn: warn)
            loaded = curve
            let lastFitted = options.fitUntil.map { cut in loaded.steps.last { $0 <= cut } ?? cut } ?? loaded.steps[loaded.steps.count - 1]
            let whole = loaded.steps.allSatisfy { $0 == $0.rounded() }
            steps = try Self.forecastSteps(at: at, horizon: horizon, lastFitted: lastFitted, wholeSteps: whole)
            if options.demo, at == nil { steps = DemoCurve.snap(steps, to: loaded.steps) }
            fitting = try CurveFitting.run(curve: loaded, options: options, context: context, stderr: stderr,
                                           horizonRatio: (steps.max() ?? lastFitted) / lastFitted)
            showObserved = options.demo
        } else {
            (fitting, steps) = try fromTrainingRuns(context: context, stderr: stderr, warn: warn)
            loaded = fitting.curve
            showObserved = curve.fitUntil == nil
        }
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
                observed: showObserved ? DemoCurve.observed(at: p.step, steps: loaded.steps, values: loaded.values) : nil)
        }
        if !fitting.result.diagnosticsPass {
            let warnings = fitting.result.components.flatMap { c in c.fit.summary.warnings.map { "\(c.fit.posterior.model.name): \($0.message)" } }
            stderr.line("curvecast: warning: the fit's diagnostics failed; do not trust these forecasts:\n  " + warnings.joined(separator: "\n  "))
        }
        switch format {
        case .json: stdout.line(json(fitting, rows, demo: showObserved).rendered())
        case .csv: stdout.write(csv(rows, demo: showObserved))
        case .table: stdout.line(table(fitting, rows, demo: showObserved))
        }
    }

    /// `--train`: fits the training runs (and the target up to --fit-until) jointly and aims the
    /// result at the target under its own schedule; returns the fit and the forecast steps.
    func fromTrainingRuns(context: CommandLineTool.Context, stderr: TextOutput,
                          warn: (String) -> Void) throws(Failure) -> (CurveFitting, [Double]) {
        let target = try CurveLoader.load(path: curve.file ?? "", options: curve, context: context, warn: warn)
        var trainOptions = curve
        trainOptions.schedule = nil
        trainOptions.fitUntil = nil
        var runs: [(curve: LoadedCurve, fitUntil: Double?)] = []
        for file in train {
            runs.append((try CurveLoader.load(path: file, options: trainOptions, context: context, warn: warn), nil))
        }
        if let cut = curve.fitUntil { runs.append((target, cut)) }
        var fitting = try CurveFitting.runJoint(runs, about: target, options: curve, context: context, stderr: stderr,
                                                calibrate: true)
        let fitted = curve.fitUntil != nil
        fitting.result = fitting.result.forecasting(ForecastTarget(schedule: target.schedule,
                                                                   fittedRun: fitted ? runs.count - 1 : nil))
        let whole = target.steps.allSatisfy { $0 == $0.rounded() }
        if let at { return (fitting, at) }
        if fitted || horizonGiven {
            let last = fitted ? (fitting.jointRuns.last?.fitUntil ?? 0) : target.steps[target.steps.count - 1]
            return (fitting, try Self.forecastSteps(at: nil, horizon: horizon, lastFitted: last, wholeSteps: whole))
        }
        var steps = CurveData.thinnedIndices(count: target.steps.count, maximum: Self.targetGridPoints).map { target.steps[$0] }
        if let total = target.schedule?.total, Double(total) > steps[steps.count - 1] { steps.append(Double(total)) }
        return (fitting, steps)
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
        var lines = fitting.jointRuns.isEmpty ? [
            "\(curve.file): \(curve.metric) (\(curve.direction.rawValue)), \(fitting.fittedCount) points fitted up to step \(NumberFormat.step(result.fitUntil)), \(curve.scale.rawValue) scale"
                + (curve.scheduleSource.map { ", schedule from \($0)" } ?? ""),
        ] : [
            "\(curve.file): \(curve.metric) (\(curve.direction.rawValue)), forecast under its schedule (from \(curve.scheduleSource ?? "none")) from \(fitting.jointRuns.count) runs fitted jointly, \(curve.scale.rawValue) scale:",
        ] + fitting.jointRuns.map { "  \($0.curve.file): \($0.points) points up to step \(NumberFormat.step($0.fitUntil))" }
        lines += [
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

import CurveModels
import Forecasting
import Foundation
import Reporting
import RunLogs
import Sampling

/// `curvecast report FILE...`: one self-contained HTML page (or one SVG) with a fan chart, the
/// forecast at the horizon, the models and the sampler's diagnostics for each run.
struct ReportCommand {
    typealias Failure = CommandLineTool.Failure

    enum Format: String, CaseIterable { case html, svg }

    /// The parsed command line, kept to read each FILE's curve options with `CurveOptions`.
    var parsed: ArgumentParser.Parsed
    var files: [String]
    var demo: Bool
    var format = Format.html
    var out: String
    var force: Bool
    var horizon = ForecastCommand.defaultHorizon
    var target: Double?
    var axes: AxisScale.Kind?
    var title: String?

    /// Forecast steps per chart: log-spaced from the last fitted step to the horizon, enough for
    /// the bands' edges to look smooth at the chart's width.
    static let chartSteps = 48

    static let parser = ArgumentParser(
        command: "report",
        options: CurveOptions.parserOptions + CurveOptions.scheduleOptions + [
            .value("out", "FILE"), .value("format", "html|svg"), .value("horizon", "Nx|STEP"), .value("target", "VALUE"),
            .value("scale-axes", "log|linear"), .value("title", "TEXT"), .flag("force"), .flag("demo"),
        ])

    static let help = """
    usage: curvecast report FILE... [--out report.html] [--format html|svg] [--horizon 10x]
                                    [--target VALUE] [--scale-axes log|linear] [--title TEXT]
                                    [--schedule FILE|JSON] [--manifest FILE] [--force] [options]
           curvecast report --demo [...]      (the curve bundled with curvecast, as in 'curvecast demo')

    Fits each FILE like 'curvecast forecast' and writes one self-contained HTML page (inline SVG
    and CSS; no JavaScript, no network) with, per run: a fan chart of the forecast (observed
    points, the posterior predictive median and its 50/80/95% bands, the fit cut-off, the target),
    the logged learning rate under it when the log has an 'lr' column, the forecast at the horizon,
    the model(s) and weights, and the sampler's diagnostics with failures stated in words. Several
    runs get an overview table, best forecast first.

    Report:
      --out FILE                where to write (default: report.html, or report.svg with
                                --format svg); an existing file is never overwritten without --force
      --force                   overwrite --out if it exists
      --format html|svg         html (default): the page. svg: the fan chart of one run alone
      --horizon Nx|STEP         forecast up to N times the last fitted step (default 10x) or a step
      --target VALUE            draw a horizontal line at VALUE and give P(the metric at the horizon
                                beats VALUE): the share of predictive draws below it (--direction
                                minimize) or above it (maximize)
      --scale-axes log|linear   both chart axes log or linear (default: log-log for a minimized
                                metric; for a maximized one a log step axis and a linear value axis)
      --title TEXT              the page's title (default: "curvecast report"; with --format svg,
                                the chart's title, default the run's name)

    \(CurveOptions.help)

    \(CurveOptions.scheduleHelp)

    Exit status: 0 written (a fit whose diagnostics fail is flagged in the report and on stderr),
    1 a fit failed or the file could not be written, 2 bad command line or input.
    """

    init(_ parsed: ArgumentParser.Parsed) throws(Failure) {
        self.parsed = parsed
        demo = parsed.flag("demo")
        files = parsed.positionals
        if demo, !files.isEmpty {
            throw .usage("--demo reports the bundled curve; do not give a FILE with it", command: "report")
        }
        if !demo, files.isEmpty {
            throw .usage("missing FILE: give one or more CSV or JSONL logs, e.g. 'curvecast report run.csv'", command: "report")
        }
        format = try parsed.choice("format", Format.allCases.map(\.rawValue), command: "report").flatMap(Format.init) ?? format
        if format == .svg, files.count > 1 {
            throw .usage("--format svg draws one run; give one FILE, or use --format html for \(files.count) runs", command: "report")
        }
        out = parsed.string("out") ?? "report.\(format.rawValue)"
        force = parsed.flag("force")
        if let text = parsed.string("horizon") { horizon = try ForecastCommand.parseHorizon(text, command: "report") }
        if let text = parsed.string("target") {
            guard let value = ArgumentParser.Parsed.number(text) else {
                throw .usage("option '--target': '\(text)' is not a number", command: "report")
            }
            target = value
        }
        axes = try parsed.choice("scale-axes", ["log", "linear"], command: "report")
            .flatMap(AxisScale.Kind.init(rawValue:))
        title = parsed.string("title")
        if files.count > 1, parsed.string("schedule") != nil {
            throw .usage("--schedule declares one curve's schedule, but \(files.count) files are given; give each run its own with NAME.schedule.json next to NAME.csv, or --manifest FILE", command: "report")
        }
        // Every FILE's options are read now, so a bad option fails before any fitting.
        _ = try curveOptions()
    }

    /// The curve options of each run (one per FILE, or the demo's).
    func curveOptions() throws(Failure) -> [CurveOptions] {
        if demo { return [try CurveOptions(parsed, command: "report", allowsDemo: true)] }
        var result: [CurveOptions] = []
        for file in files {
            var single = parsed
            single.positionals = [file]
            result.append(try CurveOptions(single, command: "report", allowsDemo: false))
        }
        return result
    }

    func run(context: CommandLineTool.Context, stdout: TextOutput, stderr: TextOutput) throws(Failure) {
        let destination = context.resolve(out)
        try checkDestination(destination)
        var runs: [ReportRun] = []
        for options in try curveOptions() {
            runs.append(try reportRun(options, context: context, stderr: stderr))
        }
        let text: String
        switch format {
        case .svg:
            text = FanChart.svg(for: runs[0], options: ChartOptions(axes: axes, title: title ?? runs[0].name))
        case .html:
            let footer = "curvecast \(CommandLineTool.version): posterior predictive forecasts (noise included); bands are central intervals of the predictive draws."
            text = HTMLReport.render(ReportDocument(title: title ?? "curvecast report", runs: runs, axes: axes, footer: footer))
        }
        try checkDestination(destination)
        do {
            try Data(text.utf8).write(to: destination, options: .atomic)
        } catch {
            throw .runtime("--out \(out): cannot write the report (\(error.localizedDescription))")
        }
        stdout.line("wrote \(out) (\(runs.count) run\(runs.count == 1 ? "" : "s"))")
    }

    func checkDestination(_ url: URL) throws(Failure) {
        if ModelDirectories.isDirectory(url) {
            throw Failure("--out \(out): is a directory; give a file name, e.g. --out \(out)/report.\(format.rawValue)")
        }
        if !force, FileManager.default.fileExists(atPath: url.path) {
            throw Failure("--out \(out): the file already exists; pass --force to overwrite it, or choose another --out")
        }
    }

    /// Loads, fits and forecasts one curve, and gathers what its chart and tables show.
    func reportRun(_ curveOptions: CurveOptions, context: CommandLineTool.Context, stderr: TextOutput) throws(Failure) -> ReportRun {
        let warn: (String) -> Void = { stderr.line("curvecast: warning: \($0)") }
        let (loaded, options) = try CurveLoader.loadSelected(curveOptions, context: context, warn: warn)
        let lastFitted = options.fitUntil.map { cut in loaded.steps.last { $0 <= cut } ?? cut } ?? loaded.steps[loaded.steps.count - 1]
        let end = horizon.step(lastFitted: lastFitted)
        guard end > lastFitted else {
            throw Failure("--horizon: step \(NumberFormat.step(end)) is not after the last fitted step \(NumberFormat.step(lastFitted)) of \(loaded.file); give a later step or a multiple like 10x")
        }
        let whole = loaded.steps.allSatisfy { $0 == $0.rounded() }
        let steps = Self.chartSteps(from: lastFitted, to: whole ? end.rounded() : end)

        let fitting = try CurveFitting.run(curve: loaded, options: options, context: context, stderr: stderr)
        let result = fitting.result
        let draws: PredictiveDraws
        do {
            draws = try result.predictive(at: steps)
        } catch {
            throw .runtime("forecasting failed: \(error)")
        }
        let levels = ReportBand.requiredLevels
        var forecast: [ReportForecastPoint] = []
        for (j, step) in steps.enumerated() {
            // Draws of the metric itself (1 - modeled when maximizing), so the quantiles need no flipping.
            let values = draws.values[j].map(loaded.metricValue(fromModeled:))
            let mean = values.reduce(0, +) / Double(max(values.count, 1))
            let q = MCMCDiagnostics.quantiles(values, probabilities: levels)
            forecast.append(ReportForecastPoint(step: step, mean: mean, quantiles: Dictionary(uniqueKeysWithValues: zip(levels, q))))
        }
        let direction: ReportDirection = loaded.direction == .maximize ? .maximize : .minimize
        let probability = target.flatMap { t in
            ReportRun.probability(draws: draws.values[steps.count - 1].map(loaded.metricValue(fromModeled:)), beating: t, direction: direction)
        }
        if !result.diagnosticsPass {
            stderr.line("curvecast: warning: \(loaded.file): the fit's diagnostics failed; the report flags it")
        }
        return ReportRun(
            name: loaded.file, metric: loaded.metric, direction: direction, observedSteps: loaded.steps,
            observedValues: loaded.values, fitUntil: result.fitUntil, forecast: forecast,
            learningRate: Self.learningRate(path: options.demo ? (DemoCurve.url?.path ?? "") : (options.file ?? ""),
                                             options: options, context: context),
            target: target, probabilityBeatsTarget: probability, modelLabel: result.modelLabel,
            models: result.components.map { Self.model($0.fit, weight: $0.weight) },
            diagnosticsPass: result.diagnosticsPass, discrepancyRate: result.discrepancyRate)
    }

    /// `count` steps spaced evenly in log(step) from `start` to `end`, both included.
    static func chartSteps(from start: Double, to end: Double, count: Int = chartSteps) -> [Double] {
        let a = log(start), b = log(end)
        var steps = (0..<count).map { exp(a + (b - a) * Double($0) / Double(count - 1)) }
        steps[0] = start
        steps[count - 1] = end
        return steps
    }

    /// The logged learning rate (an `lr` column or key), if the log has one; nil otherwise or when
    /// it cannot be read (the curve itself was read and checked already).
    static func learningRate(path: String, options: CurveOptions, context: CommandLineTool.Context) -> LearningRateSeries? {
        let url = context.resolve(path)
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else { return nil }
        let mode: ReadMode = options.resume ? .resume : .strict
        let format = options.inputFormat ?? (["jsonl", "ndjson", "json"].contains(url.pathExtension.lowercased()) ? .jsonl : .csv)
        let log: RunLog?
        switch format {
        case .csv:
            let reader = CSVLogReader(options: .init(stepColumn: options.stepColumn, valueColumns: [options.valueColumn],
                                                     learningRateColumn: "lr", mode: mode))
            log = try? reader.parse(text, source: path)
        case .jsonl:
            let reader = JSONLLogReader(options: .init(stepKey: options.stepColumn, valueKeys: [options.valueColumn],
                                                       learningRateKeys: ["lr"], mode: mode))
            log = try? reader.parse(text, source: path)
        }
        guard let series = log?.learningRate, !series.isEmpty else { return nil }
        return LearningRateSeries(steps: series.steps, values: series.values, label: "learning rate (logged '\(series.name)')")
    }

    /// A fitted model's row and its diagnostics, judged by the thresholds of `PosteriorSummary.warnings`.
    static func model(_ fit: CurveFit, weight: Double) -> ReportModel {
        let summary = fit.summary
        var checks: [DiagnosticCheck] = []
        if let s = summary.sampler {
            checks.append(DiagnosticCheck(
                name: "divergent transitions", value: "\(s.totalDivergences) of \(s.totalTransitions)", threshold: "0",
                passed: s.totalDivergences == 0, meaning: "the posterior may be biased"))
            checks.append(DiagnosticCheck(
                name: "max tree depth hits", value: "\(s.totalTreeDepthHits) of \(s.totalTransitions)",
                threshold: "0 (depth \(s.maximumTreeDepth))", passed: s.totalTreeDepthHits == 0,
                meaning: "the sampler is inefficient, not necessarily biased"))
            let bfmi = s.energyBFMI.min() ?? .nan
            checks.append(DiagnosticCheck(
                name: "min E-BFMI", value: NumberFormat.significant(bfmi, 3), threshold: ">= \(ConvergenceThresholds.minimumEBFMI)",
                passed: !(bfmi < ConvergenceThresholds.minimumEBFMI), meaning: "the sampler may not explore the tails"))
        }
        let rhats = summary.parameters.map(\.rhat)
        let rhat = rhats.contains { $0.isNaN } ? Double.nan : (rhats.max() ?? .nan)
        checks.append(DiagnosticCheck(
            name: "max R-hat", value: rhat.isNaN ? "undefined" : NumberFormat.significant(rhat, 4),
            threshold: "<= \(ConvergenceThresholds.maximumRHat)", passed: rhat <= ConvergenceThresholds.maximumRHat,
            meaning: rhat.isNaN ? "R-hat is undefined (a constant or non-finite parameter, or too few draws)" : "the chains have not mixed"))
        for (name, values, meaning) in [
            ("min bulk ESS", summary.parameters.map(\.essBulk), "posterior means and medians may be unreliable"),
            ("min tail ESS", summary.parameters.map(\.essTail), "posterior intervals may be unreliable"),
        ] {
            let ess = values.contains { $0.isNaN } ? Double.nan : (values.min() ?? .nan)
            checks.append(DiagnosticCheck(
                name: name, value: ess.isNaN ? "undefined" : String(Int(ess.rounded())),
                threshold: ">= \(Int(summary.minimumESS))", passed: ess >= summary.minimumESS, meaning: meaning))
        }
        return ReportModel(
            name: fit.posterior.model.name, weight: weight, noise: fit.posterior.noiseFamily.rawValue,
            diagnosticsPass: fit.diagnosticsPass, checks: checks, warnings: summary.warnings.map(\.message),
            samplerLine: "\(summary.chains) chains x \(summary.drawsPerChain) draws")
    }
}

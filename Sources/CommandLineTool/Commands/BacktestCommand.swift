import CurveModels
import Forecasting
import Foundation

/// `curvecast backtest --corpus DIR`: the back-test protocol of ../shared/data/README.md on every
/// curve of a directory with a MANIFEST.json in the shared format.
struct BacktestCommand {
    typealias Failure = CommandLineTool.Failure

    static let parser = ArgumentParser(command: "backtest", options: [
        .value("corpus", "DIR"), .value("horizons", "H,H,..."), .value("format", "table|json"),
        .value("model", "NAME|auto"), .value("models", "DIR"), .value("priors", "DIR"),
        .value("seed", "N"), .value("chains", "N"), .value("warmup", "N"), .value("samples", "N"),
        .value("include", "TEXT"), .flag("all"), .flag("quiet"), .flag("no-baseline"),
    ])

    static let help = """
    usage: curvecast backtest --corpus DIR [--horizons 3,10,30,100] [--format table|json]
                              [--model NAME|auto] [--include TEXT] [--all] [--no-baseline] [--quiet]

    Runs the back-test protocol (../shared/data/README.md) on the curves listed in DIR/MANIFEST.json:
    for each curve and horizon ratio h, fit the points up to the cut c (the largest logged step with
    last_step / c >= h) and forecast every logged step in (c, h c]. Prints, per horizon, pooled and
    per group and per curve: coverage of the central 50/80/95% intervals (with a 90% bootstrap
    interval over curves), CRPS, mean log predictive density and the median relative error of the
    predictive median at the last scored step. A least-squares power law with a delta-method band is
    scored on the same splits as the baseline (--no-baseline skips it).

      --corpus DIR       a directory with MANIFEST.json ({"curves": [{"id", "file", "schedule", ...}]})
      --horizons LIST    horizon ratios (default 3,10,30,100)
      --format FORMAT    table (default) or json ({"curvecast": report, "baseline": report, "seconds"})
      --model NAME|auto  the model to score (default auto); NAME+NAME scores their equal-weight average
      --include TEXT     only curves whose id contains TEXT
      --all              include curves whose learning rate decays after the cut (by default only
                         schedules constant, constant_after_warmup and unknown are scored: the
                         schedule-aware laws handle the others)
      --seed, --chains, --warmup, --samples   sampler settings (defaults 1, 4, 300, 300: the settings the README measured)
      --quiet            no progress on stderr
    """

    var corpus: String
    var horizons: [Double]
    var json: Bool
    var model: String?
    var include: String?
    var all: Bool
    var quiet: Bool
    var baseline: Bool
    var settings = FitSettings()
    var modelsOption: String?
    var priorsOption: String?

    init(_ parsed: ArgumentParser.Parsed) throws(Failure) {
        guard let corpus = parsed.string("corpus") else {
            throw .usage("missing --corpus DIR (a directory with a MANIFEST.json)", command: "backtest")
        }
        if let extra = parsed.positionals.first {
            throw .usage("unexpected argument '\(extra)'; the curves come from --corpus DIR", command: "backtest")
        }
        self.corpus = corpus
        horizons = try parsed.numberList("horizons", command: "backtest", expected: "a ratio > 1") { $0 > 1 }?.map(\.value)
            ?? BacktestProtocol.horizons
        json = try parsed.choice("format", ["table", "json"], command: "backtest") == "json"
        let m = parsed.string("model")
        model = m == "auto" ? nil : m
        include = parsed.string("include")
        all = parsed.flag("all")
        quiet = parsed.flag("quiet")
        baseline = !parsed.flag("no-baseline")
        if let seed = try parsed.seed("seed", command: "backtest") { settings.seed = seed }
        if let chains = try parsed.integer("chains", in: 1...64, command: "backtest") { settings.chains = chains }
        if let warmup = try parsed.integer("warmup", in: 0...100_000, command: "backtest") { settings.warmup = warmup }
        if let samples = try parsed.integer("samples", in: 10...100_000, command: "backtest") { settings.samples = samples }
        modelsOption = parsed.string("models")
        priorsOption = parsed.string("priors")
    }

    func run(context: CommandLineTool.Context, stdout: TextOutput, stderr: TextOutput) throws(Failure) {
        let directories = try ModelDirectories.locate(modelsOption: modelsOption, priorsOption: priorsOption, context: context)
        let catalog = ModelCatalog.load(directories)
        let corpusURL = URL(fileURLWithPath: corpus, relativeTo: context.currentDirectory).standardizedFileURL
        let all = self.all, include = self.include
        let loaded: BacktestCorpus
        do {
            loaded = try BacktestCorpus(directory: corpusURL) { id, kind in
                (all || BacktestCorpus.nonDecayingSchedules.contains(kind)) && (include.map { id.contains($0) } ?? true)
            }
        } catch {
            throw Failure(error.description)
        }
        guard !loaded.curves.isEmpty else { throw Failure("no curve of \(corpusURL.path)/MANIFEST.json matches the selection") }
        try catalog.checkModel(model, command: "backtest")
        var runner = BacktestRunner(library: catalog.library, priors: catalog.priors)
        runner.horizons = horizons
        runner.request.modelName = model
        runner.request.settings = settings
        runner.scoresBaseline = baseline
        let quiet = self.quiet, interactive = stderr.isTerminal
        let outcome = runner.run(loaded) { done, total, id, h in
            guard !quiet else { return }
            let text = done == total ? "back-test: \(total)/\(total) splits done"
                : done == 0 ? "back-test: \(total) splits (curve x horizon) to fit"
                : "back-test: \(done)/\(total) splits done (last: \(id) at \(Int(h))x)"
            if interactive { stderr.write("\r\u{1B}[K" + text + (done == total ? "\n" : "")) }
            else if done == total || done % 10 == 0 { stderr.line(text) }
        }
        if json {
            let encoder = BacktestReport.jsonEncoder
            let ours = (try? encoder.encode(outcome.report)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
            let base = baseline ? (try? encoder.encode(outcome.baseline)).map { String(decoding: $0, as: UTF8.self) } ?? "null" : "null"
            stdout.line("{\"curvecast\": \(ours), \"baseline\": \(base), \"seconds\": \(outcome.seconds)}")
        } else {
            if baseline { stdout.line(outcome.baseline.table()) }
            stdout.line(outcome.report.table(perCurve: true))
            stdout.line("\(loaded.curves.count) curves, \(horizons.count) horizons, \(String(format: "%.1f", outcome.seconds)) s")
        }
    }
}

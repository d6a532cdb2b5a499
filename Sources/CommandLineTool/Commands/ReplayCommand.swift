import CurveModels
import EarlyStopping
import Forecasting
import Foundation

/// `curvecast replay --corpus DIR --group-by KEY,...`: the early-stopping rules replayed on
/// populations of real runs (`ReplaySimulator`), with compute and regret per rule.
struct ReplayCommand {
    typealias Failure = CommandLineTool.Failure

    static let parser = ArgumentParser(command: "replay", options: [
        .value("corpus", "DIR"), .value("group-by", "KEY,KEY,..."), .value("include", "TEXT,TEXT,..."),
        .value("min-runs", "N"), .value("thresholds", "P,P,..."), .value("orders", "N"), .value("seed", "N"),
        .value("min-points", "N"), .value("votes", "K"), .value("growth", "G"), .value("eta", "ETA"),
        .value("model", "NAME|auto"), .value("models", "DIR"), .value("priors", "DIR"),
        .value("chains", "N"), .value("warmup", "N"), .value("samples", "N"), .flag("no-calibrate"),
        .value("cache", "DIR"), .value("format", "table|json"), .flag("quiet"),
    ])

    static let help = """
    usage: curvecast replay --corpus DIR [--group-by folder] [--include TEXT,...] [--min-runs 3]
                            [--thresholds 0.01,0.05,0.1] [--orders 20] [--seed 1] [--min-points 10]
                            [--votes 2] [--growth 1.3] [--eta 3] [--cache DIR] [--format table|json]
                            [--quiet]

    Replays studies of real runs to measure early-stopping rules. The curves of DIR/MANIFEST.json
    are grouped into populations (--group-by); the runs of a population are compared at a common
    horizon, the smallest last logged step among them, by their final value there (the loss, lower
    is better). In each of --orders random arrival orders the runs are trained one after another,
    revealed point by point; a rule may stop a run after any point, and a run that is not stopped
    finishes and may become the incumbent (the best final value among finished runs), which is the
    target the predictive rule's P(final beats target) refers to.

    For each population and rule: compute = steps trained / (runs x horizon) (training everything
    is 1) and regret = the best final value overall minus the best among finished runs (0 when the
    best run finished), as mean and max over the orders. Rules: the predictive rule at each
    threshold (guards: --min-points, --votes consecutive stop votes, never on failed diagnostics,
    evaluated on a geometric grid of checkpoints, each --growth times the last), the median
    stopping rule (Golovin et al. 2017) and successive halving with ASHA promotion (Li et al. 2020,
    reduction factor --eta), all on the same orders and with the same --min-points warmup.
    Each run is fitted once per checkpoint (and once at the point after a stop vote, to confirm
    it); the orders reuse those fits.

    Where:
      --corpus DIR        a directory with MANIFEST.json in the shared format ({"curves": [{"id",
                          "file", ...}]}; CSV files with columns step and loss)
      --group-by KEYS     manifest fields (nested ones with dots: schedule.total, schedule.kind,
                          model, metric) or derived keys: study (first part of the id), folder (the
                          id without its last part), id. Default: folder
      --include TEXTS     only curves whose id contains one of these (comma-separated)
      --min-runs N        leave out populations with fewer runs (default 3)
      --thresholds LIST   the predictive rule's thresholds (default 0.01,0.05,0.1)
      --orders N          random arrival orders per population (default 20)
      --seed N            seed of the orders and of the sampler (default 1)
      --min-points N      no rule stops a run before N points (default 10)
      --votes K           the predictive rule's consecutive stop votes (default 2)
      --growth G          checkpoint spacing: each at most G times the step of the last (default 1.3)
      --eta ETA           successive halving's reduction factor (default 3)
      --model NAME|auto   the model fitted at each checkpoint (default auto: per run, as 'forecast'
                          chooses, multi_power under the run's schedule when it anneals after
                          its warmup, so the forecast at the horizon includes the anneal to
                          come; broken_power_law for constant rates or no schedule). A run's
                          schedule is its manifest entry's "schedule", else its lr column
      --chains, --warmup, --samples   sampler settings per fit (defaults 2, 300, 300)
      --no-calibrate      leave out the leave-future-out discrepancy term (faster, narrower bands)
      --cache DIR         keep each run's fits in DIR/replay-HASH.json (saved every 25 fits) and
                          reuse them for the same run, horizon and sampler settings, in any
                          population or checkpoint grid: re-running with other --thresholds,
                          --votes, --orders or --eta takes seconds, and an interrupted replay
                          resumes; the key includes the fitted models' priors (an edited prior
                          file means new fits), but not the .model files: after editing one,
                          delete the cache
      --format FORMAT     table (default) or json:
        {"populations": [{"name", "horizon", "runs": [id...], "best_run", "best_final", "orders",
          "fits", "strict_failure_share", "divergence_failure_share", "fit_seconds", "record_floor",
          "record_floor_max",
          "rules": [{"rule", "compute_mean", "compute_max", "regret_mean", "regret_max",
                     "stopped_mean", "best_finished_share"}],
          "targets": {"compute_at_zero_regret": value or null, "compute_target_met": bool,
                      "comparisons": {"RULE": "better" | "not better" | "more regret"}, "met": bool}}],
         "left_out": [{"name", "runs"}], "settings": [text], "seconds"}
      --quiet             no progress on stderr

    Targets (issue 7), checked per population: at zero regret in every order the predictive rule
    uses at most half the compute of training everything, and it uses less compute than each
    baseline at no more regret (mean and max).

    Record floor: a rule that never stops a run that would beat the incumbent must train in full
    every record of the order (a run better than every run before it; the first run is one) and
    could at best stop the others at once. The "record floor" row is that compute, the records'
    full training over everyone's, per order (mean and max over the same orders the rules are
    replayed on): the least compute at zero regret such a rule can reach. Over uniformly random
    orders of n runs its mean is H_n / n (H_n = 1 + 1/2 + ... + 1/n: 0.75 for 2 runs, 0.61 for 3,
    0.52 for 4), above the 0.5 target for populations of 4 runs or fewer.
    """

    var corpus: String
    var grouping: ReplayGrouping
    var include: [String]?
    var minimumRuns = 3
    var experiment = ReplayExperiment()
    var growth = ReplayCheckpoints.defaultGrowth
    var request = ForecastRequest()
    var json = false
    var quiet = false
    var modelsOption: String?
    var priorsOption: String?
    var cache: String?

    /// Parses `arguments` (after `replay`), prints the help or replays.
    static func main(_ arguments: [String], context: CommandLineTool.Context, stdout: TextOutput,
                     stderr: TextOutput) throws(Failure) -> Int32 {
        let parsed = try parser.parse(arguments)
        if parsed.help {
            stdout.line(help)
            return 0
        }
        try ReplayCommand(parsed).run(context: context, stdout: stdout, stderr: stderr)
        return 0
    }

    init(_ parsed: ArgumentParser.Parsed) throws(Failure) {
        let command = "replay"
        guard let corpus = parsed.string("corpus") else {
            throw .usage("missing --corpus DIR (a directory with a MANIFEST.json)", command: command)
        }
        if let extra = parsed.positionals.first {
            throw .usage("unexpected argument '\(extra)'; the runs come from --corpus DIR", command: command)
        }
        self.corpus = corpus
        let keys = (parsed.string("group-by") ?? "folder").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        do {
            grouping = try ReplayGrouping(keys: keys.filter { !$0.isEmpty })
        } catch {
            throw .usage(error.description, command: command)
        }
        include = parsed.string("include").map { $0.split(separator: ",").map(String.init) }
        minimumRuns = try parsed.integer("min-runs", in: 1...10_000, command: command) ?? minimumRuns
        if let list = try parsed.numberList("thresholds", command: command, expected: "a probability between 0 and 1", accept: { $0 > 0 && $0 < 1 }) {
            experiment.thresholds = list.map(\.value)
        }
        experiment.orders = try parsed.integer("orders", in: 1...100_000, command: command) ?? experiment.orders
        if let seed = try parsed.seed("seed", command: command) {
            experiment.seed = seed
            request.settings.seed = seed
        }
        experiment.rule.minimumPoints = try parsed.integer("min-points", in: 3...100_000, command: command) ?? experiment.rule.minimumPoints
        experiment.rule.consecutiveVotes = try parsed.integer("votes", in: 1...1000, command: command) ?? experiment.rule.consecutiveVotes
        if let g = try parsed.positiveNumber("growth", command: command) {
            guard g > 1 else { throw .usage("option '--growth': '\(g)' is not a factor > 1", command: command) }
            growth = g
        }
        if let eta = try parsed.positiveNumber("eta", command: command) {
            guard eta > 1 else { throw .usage("option '--eta': '\(eta)' is not a reduction factor > 1", command: command) }
            experiment.reductionFactor = eta
        }
        let model = parsed.string("model")
        request.modelName = model == "auto" ? nil : model
        let seed = request.settings.seed
        request.settings = BayesianReplayForecaster.replaySettings
        request.settings.seed = seed
        request.settings.chains = try parsed.integer("chains", in: 1...64, command: command) ?? request.settings.chains
        request.settings.warmup = try parsed.integer("warmup", in: 0...100_000, command: command) ?? request.settings.warmup
        request.settings.samples = try parsed.integer("samples", in: 10...100_000, command: command) ?? request.settings.samples
        request.calibrate = !parsed.flag("no-calibrate")
        json = try parsed.choice("format", ["table", "json"], command: command) == "json"
        quiet = parsed.flag("quiet")
        modelsOption = parsed.string("models")
        priorsOption = parsed.string("priors")
        cache = parsed.string("cache")
    }

    func run(context: CommandLineTool.Context, stdout: TextOutput, stderr: TextOutput) throws(Failure) {
        let start = DispatchTime.now().uptimeNanoseconds
        let directories = try ModelDirectories.locate(modelsOption: modelsOption, priorsOption: priorsOption, context: context)
        let catalog = ModelCatalog.load(directories)
        try catalog.checkModel(request.modelName, command: "replay")
        let corpusURL = context.resolve(corpus).standardizedFileURL
        let include = self.include
        let loaded: BacktestCorpus
        do {
            loaded = try BacktestCorpus(directory: corpusURL) { id, _ in include.map { $0.contains { id.contains($0) } } ?? true }
        } catch {
            throw Failure(error.description)
        }
        guard !loaded.curves.isEmpty else { throw Failure("no curve of \(corpusURL.path)/MANIFEST.json matches --include") }
        let schedules = try Self.schedules(manifest: corpusURL.appendingPathComponent("MANIFEST.json"), ids: loaded.curves.map(\.id))
        let grouped: (populations: [ReplayPopulation], tooSmall: [(name: String, runs: Int)])
        do {
            grouped = try grouping.populations(loaded.curves, schedules: schedules, minimumRuns: minimumRuns)
        } catch {
            throw Failure("\(error)")
        }
        guard !grouped.populations.isEmpty else {
            throw Failure("no population of \(grouping.keys.joined(separator: ",")) has \(minimumRuns) runs or more; lower --min-runs or group differently")
        }
        let forecaster = BayesianReplayForecaster(request: request, library: catalog.library, priors: catalog.priors)
        var reports: [ReplayPopulationReport] = []
        let grid = experiment.checkpoints(growth: growth)
        let cacheDirectory = cache.map { context.resolve($0) }
        for population in grouped.populations {
            let settings = forecaster.settingsDescription(for:)
            let table = ReplayForecastTable(population, checkpoints: grid, forecaster: forecaster)
            var loaded = 0
            if let directory = cacheDirectory {
                loaded = table.load(from: directory, forecaster: settings)
                if !quiet, loaded > 0 { stderr.line("replay \(population.name): \(loaded) fits read from \(directory.path)") }
            }
            // Saved every 25 fits too, so an interrupted replay resumes where it stopped.
            let show = progress(population.name, stderr)
            table.fitCheckpoints { done, total, id in
                show?(done, total, id)
                if let directory = cacheDirectory, done > 0, done % 25 == 0 { try? table.save(in: directory, forecaster: settings) }
            }
            if !quiet {
                let name = population.name, interactive = stderr.isTerminal
                table.onFit = { count, id in
                    let text = "replay \(name): confirmation fit (\(count) fits) \(id)"
                    if interactive { stderr.write("\r\u{1B}[K" + text) } else if count % 10 == 0 { stderr.line(text) }
                }
            }
            reports.append(experiment.run(population, table: table))
            table.onFit = nil
            if !quiet, stderr.isTerminal { stderr.write("\r\u{1B}[K") }
            if let directory = cacheDirectory, table.fitCount > loaded {
                do { try table.save(in: directory, forecaster: settings) } catch {
                    throw .runtime("--cache \(directory.path): cannot write the fits (\(error.localizedDescription)); check the directory")
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let report = ReplayReport(populations: reports, tooSmall: grouped.tooSmall, settings: settings, seconds: seconds)
        stdout.line(json ? Self.json(report).rendered() : report.table())
    }

    /// The planned learning-rate schedules of the curves `ids`, from their entries in the corpus's
    /// manifest: the declared `schedule`, else the CSV's `lr` column (`CurveManifest.Entry.trainingRun`,
    /// as `fit --manifest` reads them). Curves with neither have none.
    static func schedules(manifest url: URL, ids: [String]) throws(Failure) -> [String: LearningRateSchedule] {
        let manifest: CurveManifest
        do { manifest = try CurveManifest(contentsOf: url) } catch {
            throw Failure("--corpus: \(error.description)", hint: "the replay forecasts each run under its schedule; fix the entry or declare {\"kind\": \"unknown\"}")
        }
        var schedules: [String: LearningRateSchedule] = [:]
        for id in ids {
            guard let entry = manifest.entry(id: id) else { continue }
            do { schedules[id] = try entry.trainingRun().schedule } catch {
                throw Failure("--corpus \(url.path): \(error.description)")
            }
        }
        return schedules
    }

    /// The progress of the fits on stderr: in place on a terminal, every 10 fits otherwise.
    func progress(_ name: String, _ stderr: TextOutput) -> ReplayForecastTable.Progress? {
        guard !quiet else { return nil }
        let interactive = stderr.isTerminal
        return { done, total, id in
            guard total > 0 else { return }
            let text = done == total ? "replay \(name): \(total) checkpoint fits done" : "replay \(name): checkpoint fit \(done + 1)/\(total) \(id)"
            if interactive { stderr.write("\r\u{1B}[K" + text + (done == total ? "\n" : "")) }
            else if done == total || done % 10 == 0 { stderr.line(text) }
        }
    }

    /// What the report's numbers depend on, in words.
    var settings: [String] {
        let s = request.settings
        let rule = experiment.rule
        let votes = rule.consecutiveVotes == 1 ? "1 stop vote stops" : "\(rule.consecutiveVotes) consecutive stop votes (each after the first at the next point)"
        return [
            "forecasts: model \(request.modelName ?? "auto (per run: \(Forecaster.scheduleAwareCandidates.joined(separator: ", ")) under its schedule when it anneals after warmup, else \(Forecaster.automaticCandidates.joined(separator: ", ")))")"
                + (request.calibrate ? " with the leave-future-out discrepancy term" : " without calibration")
                + ", \(s.chains) chains x (\(s.warmup) + \(s.samples)) per fit, target acceptance \(s.targetAcceptance), seed \(s.seed)",
            "predictive rule: no stop before \(rule.minimumPoints) points; \(votes); never when a chain alone would vote "
                + "otherwise or more than \(Int(DecisionDiagnostics.maximumDivergenceRate * 100))% of transitions diverged; "
                + "checkpoints every \(growth)x in steps",
            "median rule and successive halving (eta \(NumberFormat.significant(experiment.reductionFactor, 3))): no stop before \(rule.minimumPoints) points",
            "\(experiment.orders) random arrival orders per population (seed \(experiment.seed)), runs trained one at a time",
        ]
    }

    static func json(_ report: ReplayReport) -> JSONValue {
        .object([
            ("populations", .array(report.populations.map { p in
                .object([
                    ("name", .string(p.name)), ("horizon", .number(p.horizon)),
                    ("runs", .array(p.runIDs.map(JSONValue.string))), ("best_run", .string(p.bestRun)),
                    ("best_final", .number(p.bestFinalValue)), ("orders", .integer(p.orders)), ("fits", .integer(p.fits)),
                    ("strict_failure_share", .number(p.strictFailureShare)),
                    ("divergence_failure_share", .number(p.divergenceFailureShare)), ("fit_seconds", .number(p.fitSeconds)),
                    ("record_floor", .number(p.recordFloor)), ("record_floor_max", .number(p.recordFloorMax)),
                    ("rules", .array(p.rules.map { r in
                        .object([
                            ("rule", .string(r.rule)), ("compute_mean", .number(r.computeMean)),
                            ("compute_max", .number(r.computeMax)), ("regret_mean", .number(r.regretMean)),
                            ("regret_max", .number(r.regretMax)), ("stopped_mean", .number(r.stoppedMean)),
                            ("best_finished_share", .number(r.zeroRegretShare)),
                        ])
                    })),
                    ("targets", .object([
                        ("compute_at_zero_regret", p.cheapestZeroRegretPredictive.map { .number($0.computeMean) } ?? .null),
                        ("compute_target_met", .bool(p.meetsComputeTarget)),
                        ("comparisons", .object(p.baselineRows.map { ($0.rule, .string(p.comparison(with: $0).rawValue)) })),
                        ("met", .bool(p.meetsTargets)),
                    ])),
                ])
            })),
            ("left_out", .array(report.tooSmall.map { .object([("name", .string($0.name)), ("runs", .integer($0.runs))]) })),
            ("settings", .array(report.settings.map(JSONValue.string))),
            ("seconds", .number(report.seconds)),
        ])
    }
}

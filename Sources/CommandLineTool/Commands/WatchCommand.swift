import Daemon
import Foundation

/// `curvecast watch --runs DIR --state DIR`: the daemon (all its logic is in the Daemon module).
struct WatchCommand {
    typealias Failure = CommandLineTool.Failure

    /// Every setting of `WatchOptions` as a flag (`minimum_points` -> `--minimum-points`), plus
    /// `--config`, `--models` and `--priors`.
    static let parser = ArgumentParser(
        command: "watch",
        options: WatchOptions.keys.map { .value(flag($0), placeholder($0)) }
            + [.value("config", "FILE"), .value("models", "DIR"), .value("priors", "DIR")])

    static func flag(_ key: String) -> String { key.replacingOccurrences(of: "_", with: "-") }

    private static func placeholder(_ key: String) -> String {
        switch key {
        case "runs", "state": return "DIR"
        case "listen": return "unix:PATH|tcp:127.0.0.1:PORT"
        case "direction": return "minimize|maximize"
        case "target": return "VALUE|best"
        case "model": return "NAME|auto"
        case "metric": return "NAME"
        case "horizon", "warmup_steps": return "STEP"
        case "threshold": return "P"
        case "poll_seconds", "debounce_seconds", "fit_hurry_seconds": return "SECONDS"
        default: return "N"
        }
    }

    static let help = """
    usage: curvecast watch --runs DIR --state DIR --horizon STEP [--listen unix:PATH|tcp:127.0.0.1:PORT]
                           [--config FILE] [study and fit options]

    Follows every run in DIR (one run per log file, or per run directory: CSV, JSONL,
    trainer_state.json, Lightning metrics.csv, TensorBoard event files), refits each as points
    arrive, and publishes a decision per run to STATE/decisions/RUN.json (written atomically)
    and over a JSON HTTP API. SIGTERM or Ctrl-C stops it cleanly (exit 0); after a crash, start
    it again with the same --state and it resumes.

    Study (flags override the config file, whose keys are the flags' names with _ for -):
      --runs DIR                the runs folder                           (required)
      --state DIR               the state folder (created if missing)     (required)
      --horizon STEP            the planned last step of the runs         (required)
      --listen ADDRESS          unix:PATH (default: STATE/api.sock, mode 0600) or tcp:127.0.0.1:PORT
      --config FILE             a JSON object of settings, e.g. {"horizon": 80000, "target": "best"};
                                relative paths in it are relative to its folder
      --metric NAME             the metric to follow (default: loss): a CSV column, JSONL key,
                                Lightning column, TensorBoard tag or trainer_state.json key
      --direction minimize|maximize
                                minimize (default; the metric must be > 0) or maximize (a rate in
                                [0, 1), fitted as 1 - value)
      --target VALUE|best       the value to beat at the horizon (default: best = the best value a
                                run observed at the horizon; until a run gets there, the best
                                forecast median of the other runs)
      --threshold P             stop when P(beats the target) < P (default: 0.05)
      --minimum-points N        points after the warmup before any stop vote (default: 10)
      --warmup-steps STEP       points up to this step do not count (default: 0)
      --consecutive-votes N     stop votes in a row needed to stop (default: 2)
      --model NAME|auto         the model to fit (default: power_law, cheap enough to refit 200
                                runs every few seconds on 2 cores; auto, the broken power law,
                                forecasts better early on and costs about 10 times as much)
      --models DIR, --priors DIR  where the models and priors are (as for 'curvecast fit')

    Daemon:
      --poll-seconds S          how often the logs are read (default: 1)
      --debounce-seconds S      the shortest time between two fits of one run (default: 2)
      --workers N               fits at the same time (default: the number of cores)
      --fit-chains N, --fit-warmup N, --fit-cold-warmup N, --fit-samples N
                                the sampling budget of a fit (defaults 1, 30, 150, 200)
      --fit-hurry-seconds S     a run whose oldest new point waited S seconds (default 3: a busy
                                machine) is refitted with half the draws, to keep decisions fresh

    API (JSON; curl --unix-socket STATE/api.sock http://localhost/runs):
      GET /healthz   GET /runs   GET /runs/ID   GET /runs/ID/decision
      GET /runs/ID/forecast?at=STEP,STEP&quantiles=Q,Q   POST /runs/ID/points {"step": S, "value": V}

    A decision file holds schema_version, run, source, metric, direction, points, last_step,
    last_value, horizon, target, forecast (mean and quantiles at the horizon), decision
    (continue, stop or error), probability, stop_votes, reason, model, diagnostics, error, issues
    and generated_at. A run whose log cannot be read gets decision "error" with the message
    naming the file, line and field; the other runs go on.
    """

    var options: WatchOptions
    var config: String?
    var modelsOption: String?
    var priorsOption: String?

    init(_ parsed: ArgumentParser.Parsed) throws(Failure) {
        if let extra = parsed.positionals.first {
            throw .usage("unexpected argument '\(extra)'; give the runs folder with --runs DIR", command: "watch")
        }
        options = WatchOptions()
        for key in WatchOptions.keys {
            guard let text = parsed.string(Self.flag(key)) else { continue }
            do {
                try options.set(key, .text(text), label: "option '--\(Self.flag(key))'")
            } catch {
                throw .usage(error.message, command: "watch")
            }
        }
        config = parsed.string("config")
        modelsOption = parsed.string("models")
        priorsOption = parsed.string("priors")
    }

    /// Resolves the settings (flags over the config file).
    func configuration(context: CommandLineTool.Context) throws(Failure) -> WatchConfiguration {
        var merged = options
        if let config {
            do {
                merged = options.merged(over: try WatchOptions.load(configFile: context.resolve(config)))
            } catch {
                throw Failure(error.message)
            }
        }
        do {
            return try merged.resolve(currentDirectory: context.currentDirectory)
        } catch {
            throw .usage(error.message, command: "watch")
        }
    }

    /// Runs the daemon until SIGTERM or SIGINT.
    func run(context: CommandLineTool.Context, stdout: TextOutput, stderr: TextOutput) throws(Failure) {
        let configuration = try configuration(context: context)
        let directories = try ModelDirectories.locate(modelsOption: modelsOption, priorsOption: priorsOption, context: context)
        let catalog = ModelCatalog.load(directories)
        // Log lines are rare (runs found, errors, start and stop): a formatter per line is fine.
        let log: @Sendable (String) -> Void = { message in
            stderr.line("\(ISO8601DateFormatter().string(from: Date())) curvecast watch: \(message)")
        }
        let daemon = WatchDaemon(configuration: configuration, library: catalog.library, priors: catalog.priors, log: log)
        let signalled = DispatchSemaphore(value: 0)
        TerminationSignals.install { number in
            log("signal \(number): stopping")
            signalled.signal()
        }
        do {
            try daemon.start()
        } catch {
            throw Failure(error.description)
        }
        signalled.wait()
        daemon.stop()
    }
}

import CurveModels
import Forecasting
import Foundation

/// Whether lower or higher values of the metric are better.
public enum Direction: String, Sendable, CaseIterable {
    case minimize, maximize
}

/// The input format of the curve file.
public enum InputFormat: String, Sendable, CaseIterable {
    case csv, jsonl
}

/// The options `fit`, `forecast` and `demo` share: the curve, the model and the sampler settings.
struct CurveOptions: Equatable {
    /// The log file (the first, for a joint fit); nil with `--demo`.
    var file: String?
    /// Every log file named (several for `fit a.csv b.csv`, a joint fit).
    var files: [String] = []
    /// `--schedule FILE|JSON`: the curve's declared learning-rate schedule (for `forecast`, the
    /// target's, with its planned future steps).
    var schedule: String?
    /// `--manifest FILE`: schedules and metadata for every curve named, from a manifest in the
    /// shared format.
    var manifest: String?
    /// `--lr COLUMN`: the learning-rate column or key (nil: `lr`, or `learning_rate` in JSONL).
    var learningRateColumn: String?
    var demo = false
    var stepColumn = "step"
    var valueColumn = "loss"
    /// nil: from the file's extension.
    var inputFormat: InputFormat?
    var direction = Direction.minimize
    /// Whether --direction was given (a manifest's direction applies only when it was not).
    var directionGiven = false
    var scale = CurveData.Scale.log
    /// Accept logs of resumed runs (a step logged again replaces the earlier points).
    var resume = false
    /// nil: `auto`.
    var model: String?
    var fitUntil: Double?
    var seed: UInt64 = 1
    var chains = 4
    var warmup = 1000
    var samples = 1000
    var prior: String?
    var modelsDirectory: String?
    var priorsDirectory: String?
    var quiet = false

    /// Limits that keep a typo from asking for a week of sampling.
    static let maximumChains = 64
    static let maximumIterations = 1_000_000

    static let parserOptions: [ArgumentParser.Option] = [
        .value("model", "NAME|auto"), .value("fit-until", "STEP"), .value("seed", "N"), .value("chains", "N"),
        .value("warmup", "N"), .value("samples", "N"), .value("x", "COLUMN"), .value("y", "COLUMN"),
        .value("input-format", "csv|jsonl"), .value("direction", "minimize|maximize"),
        .value("scale", "log|linear"), .value("prior", "FILE"), .value("models", "DIR"), .value("priors", "DIR"),
        .flag("resume"), .flag("quiet"),
    ]

    /// The schedule options of `fit` and `forecast` (see `scheduleHelp`).
    static let scheduleOptions: [ArgumentParser.Option] = [
        .value("schedule", "FILE|JSON"), .value("manifest", "FILE"), .value("lr", "COLUMN"),
    ]

    /// The help text of `scheduleOptions`.
    static let scheduleHelp = """
    Learning-rate schedules (for the schedule-aware laws multi_power and lr_annealing):
      --schedule FILE|JSON      the curve's schedule: a JSON object inline, or a file holding one, e.g.
                                '{"kind": "wsd", "warmup": 2160, "total": 24000, "peak": 3e-4,
                                  "decay_start": 20000, "end": 3e-5, "decay_shape": "exponential"}'
                                kinds: constant, cosine (end), linear (end), wsd (decay_start, end,
                                decay_shape exponential|linear|sqrt), two_stage (switch, second),
                                step (milestones, factor), explicit (rates: one per step from
                                first_step, default 1), constant_after_warmup; every kind takes
                                total, peak, warmup (steps, default 0), warmup_shape linear|constant
                                (default linear) and warmup_lr (for a constant warmup). The declared
                                schedule covers unlogged warmup steps and plans the future: forecasts
                                follow it past the last logged step (ask "what if I cool down at step
                                X?" by passing a schedule that does). For 'forecast' it is the target's.
      --manifest FILE           a MANIFEST.json in the shared format ({"curves": [{"id", "file",
                                "direction", "schedule", ...}]}): every curve named on the command line
                                takes its schedule (and its direction, unless --direction is given)
                                from the entry whose "file" (relative to the manifest) is that curve
      --lr COLUMN               the log's learning-rate column or key (default: lr; JSONL also
                                learning_rate), used when no schedule is declared
    Each curve's schedule is, in this order: --schedule (one curve), its --manifest entry, a sidecar
    file NAME.schedule.json next to NAME.csv, the log's learning-rate column (its last rate held after
    the last logged step). A declared schedule that disagrees with the logged learning rate by more
    than 1% at a logged step (up to --fit-until) is used, with a warning naming the step.
    """

    /// The shared options' help text.
    static let help = """
    Input:
      FILE                      a CSV log with a header row, or a JSONL log (one JSON object per line)
      --x COLUMN                the step column or key (default: step)
      --y COLUMN                the metric column or key (default: loss)
      --input-format csv|jsonl  the file's format (default: from the extension: .csv -> csv,
                                .jsonl/.ndjson/.json -> jsonl)
      --direction minimize|maximize
                                minimize (default): fit the metric as is (a loss).
                                maximize: the metric must lie in [0, 1] (accuracy, a rate); the
                                model is fitted to 1 - value (an error rate, which falls like a loss)
                                and forecasts are reported back as values of the metric. For a
                                maximized metric outside [0, 1], pass a transformed column that
                                falls (e.g. 100 - accuracy%) with --direction minimize.
      --resume                  accept a resumed run's log: a step logged again replaces the points
                                logged at and after it (the later write wins). Without it, repeated
                                or decreasing steps are an error naming the lines.
      --fit-until STEP          fit only the points with step <= STEP (default: all)

    Model:
      --model NAME|auto         the model to fit (default: auto, the automatic candidates: \(Forecaster.automaticCandidates.joined(separator: ", "))
                                with equal weights; \(Forecaster.scheduleAwareCandidates.joined(separator: ", ")) for a run whose
                                learning-rate schedule anneals after warmup); 'curvecast models' lists the names.
                                NAME+NAME+...: those models averaged with equal weights, e.g.
                                broken_power_law+broken_power_law_2
      --scale log|linear        likelihood on log values (default; losses) or on the values
      --prior FILE              a prior JSON file replacing the default prior of the model it names
      --models DIR              the directory of .model files (see "Models and priors" below)
      --priors DIR              the directory of default prior files

    Sampler:
      --chains N                chains, run in parallel (default: 4)
      --seed N                  random seed (default: 1); the same seed gives the same draws
      --quiet                   no progress line on stderr

    Expert options (the back-test measured calibration with 300 + 300; more draws only sharpen it):
      --warmup N                warmup iterations per chain (default: 1000, as Stan)
      --samples N               draws kept per chain (default: 1000, as Stan)

    Models and priors are found in this order: --models DIR (priors: --priors DIR, else DIR/../Priors
    if it exists, else DIR itself); the CURVECAST_HOME environment variable (CURVECAST_HOME/Models and
    CURVECAST_HOME/Priors); the repository root (a folder with Package.swift and Models/) found by
    walking up from the current directory, then from the executable; finally the copies bundled with
    the executable. --priors DIR always wins for priors.
    """

    /// Reads the shared options; `command` names the command in messages. `allowsSeveralFiles`:
    /// the command takes several FILEs (a joint fit).
    init(_ parsed: ArgumentParser.Parsed, command: String, allowsDemo: Bool,
         allowsSeveralFiles: Bool = false) throws(CommandLineTool.Failure) {
        demo = allowsDemo && parsed.flag("demo")
        if demo {
            guard parsed.positionals.isEmpty else {
                throw .usage("--demo forecasts the bundled curve; do not give a FILE with it", command: command)
            }
        } else {
            guard let first = parsed.positionals.first else {
                throw .usage("missing FILE: give the CSV or JSONL log to fit, e.g. 'curvecast \(command) run.csv'",
                             command: command)
            }
            guard parsed.positionals.count == 1 || allowsSeveralFiles else {
                let training = command == "forecast" ? " (give the runs to learn from with --train FILE)" : ""
                throw .usage("unexpected argument '\(parsed.positionals[1])'; '\(command)' takes one FILE\(training)",
                             command: command)
            }
            file = first
            files = parsed.positionals
        }
        schedule = parsed.string("schedule")
        manifest = parsed.string("manifest")
        learningRateColumn = parsed.string("lr")
        if schedule != nil, files.count > 1 {
            throw .usage("--schedule declares one curve's schedule, but \(files.count) files are given; give each run its own with NAME.schedule.json next to NAME.csv, or --manifest FILE",
                         command: command)
        }
        stepColumn = parsed.string("x") ?? stepColumn
        valueColumn = parsed.string("y") ?? valueColumn
        inputFormat = try parsed.choice("input-format", InputFormat.allCases.map(\.rawValue), command: command)
            .flatMap(InputFormat.init(rawValue:))
        direction = try parsed.choice("direction", Direction.allCases.map(\.rawValue), command: command)
            .flatMap(Direction.init(rawValue:)) ?? direction
        directionGiven = parsed.string("direction") != nil
        scale = try parsed.choice("scale", CurveData.Scale.allCases.map(\.rawValue), command: command)
            .flatMap(CurveData.Scale.init(rawValue:)) ?? scale
        resume = parsed.flag("resume")
        if let name = parsed.string("model"), name != "auto" { model = name }
        fitUntil = try parsed.positiveNumber("fit-until", command: command)
        seed = try parsed.seed("seed", command: command) ?? seed
        chains = try parsed.integer("chains", in: 1...Self.maximumChains, command: command) ?? chains
        warmup = try parsed.integer("warmup", in: 0...Self.maximumIterations, command: command) ?? warmup
        samples = try parsed.integer("samples", in: 1...Self.maximumIterations, command: command) ?? samples
        prior = parsed.string("prior")
        modelsDirectory = parsed.string("models")
        priorsDirectory = parsed.string("priors")
        quiet = parsed.flag("quiet")
    }
}

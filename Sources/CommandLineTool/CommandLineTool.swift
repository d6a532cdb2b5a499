import Foundation

/// The `curvecast` command line: `fit`, `forecast`, `demo`, `report`, `decide`, `replay`, `backtest`, `elicit`, `watch`, `models`, `priors`, `help`, `version`.
///
/// Everything the executable does happens here, so tests run it with in-memory outputs:
/// ```swift
/// let out = TextOutput(), err = TextOutput()
/// let status = CommandLineTool.run(arguments: ["forecast", "run.csv", "--format", "json"], stdout: out, stderr: err)
/// ```
/// Errors go to stderr as `curvecast: error: MESSAGE` (plus a hint line for usage errors); the
/// status is 0 on success, 1 when the work failed, 2 for usage and input errors (`decide`: 0
/// continue, 1 stop, 2 any error).
public enum CommandLineTool {
    public static let version = "0.1.0-dev"
    /// Bad command line or input.
    public static let usageStatus: Int32 = 2
    /// The work itself failed.
    public static let failureStatus: Int32 = 1

    static let commands = ["fit", "forecast", "demo", "report", "decide", "replay", "backtest", "elicit", "watch", "models", "priors", "help", "version"]

    public static let help = """
    curvecast \(version) — Bayesian learning-curve forecasting

    usage: curvecast COMMAND [OPTIONS]

    Commands:
      fit FILE        fit a curve model; print the posterior summary with the sampler's diagnostics
      forecast FILE   forecast the curve at later steps: mean and quantiles (table, csv or json)
      demo            forecast a real curve bundled with curvecast, next to its held-out truth
      report FILE...  write an HTML report: fan charts of the forecasts, the models, the diagnostics
      decide FILE     should this run go on? P(final beats the target) at the horizon; exit 0 continue, 1 stop
      replay          replay studies of real runs: compute saved and regret of early-stopping rules
      backtest        score forecasts on a corpus of curves (coverage, CRPS, log score, errors)
      elicit          build a prior from your judgements (loss floor, exponent, future loss)
      watch           the daemon: follow a folder of runs, publish a stop/continue decision per run
      models          list the models
      priors          list the default prior files
      help            show this help ('curvecast COMMAND --help' shows a command's options)
      version         print the version

    Try: curvecast demo
    """

    /// Runs the command line `arguments` (without the executable's name); returns the exit status.
    /// `stdin` is where interactive commands (`elicit`) read answers; default the process's.
    public static func run(
        arguments: [String], stdout: TextOutput, stderr: TextOutput, context: Context = .process,
        stdin: LineSource = .standardInput()
    ) -> Int32 {
        do {
            return try dispatch(arguments, stdout: stdout, stderr: stderr, context: context, stdin: stdin)
        } catch {
            stderr.line("curvecast: error: \(error.message)")
            if let hint = error.hint { stderr.line("curvecast: \(hint)") }
            return error.status
        }
    }

    /// Runs one command; returns its exit status (0, or what the command's result says: `decide`
    /// returns 1 for stop without it being an error).
    @discardableResult
    static func dispatch(
        _ arguments: [String], stdout: TextOutput, stderr: TextOutput, context: Context,
        stdin: LineSource = .standardInput()
    ) throws(Failure) -> Int32 {
        guard let command = arguments.first else {
            stdout.line(help)
            return 0
        }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "help", "--help", "-h":
            if let topic = rest.first, commands.contains(topic), topic != "help" {
                return try dispatch([topic, "--help"], stdout: stdout, stderr: stderr, context: context)
            } else {
                stdout.line(help)
            }
        case "version", "--version":
            stdout.line("curvecast \(version)")
        case "fit":
            let parsed = try FitCommand.parser.parse(rest)
            if parsed.help { stdout.line(FitCommand.help); return 0 }
            try FitCommand(parsed).run(context: context, stdout: stdout, stderr: stderr)
        case "forecast":
            let parsed = try ForecastCommand.parser.parse(rest)
            if parsed.help { stdout.line(parsed.flag("demo") ? DemoCurve.help : ForecastCommand.help); return 0 }
            try ForecastCommand(parsed).run(context: context, stdout: stdout, stderr: stderr)
        case "demo":
            var parser = ForecastCommand.parser
            parser.command = "demo"
            let parsed = try parser.parse(rest)
            if parsed.help { stdout.line(DemoCurve.help); return 0 }
            try ForecastCommand(parsed, command: "demo", demo: true).run(context: context, stdout: stdout, stderr: stderr)
        case "report":
            let parsed = try ReportCommand.parser.parse(rest)
            if parsed.help { stdout.line(ReportCommand.help); return 0 }
            try ReportCommand(parsed).run(context: context, stdout: stdout, stderr: stderr)
        case "decide":
            return try DecideCommand.main(rest, context: context, stdout: stdout, stderr: stderr)
        case "replay":
            return try ReplayCommand.main(rest, context: context, stdout: stdout, stderr: stderr)
        case "backtest":
            let parsed = try BacktestCommand.parser.parse(rest)
            if parsed.help { stdout.line(BacktestCommand.help); return 0 }
            try BacktestCommand(parsed).run(context: context, stdout: stdout, stderr: stderr)
        case "elicit":
            let parsed = try ElicitCommand.parser.parse(rest)
            if parsed.help { stdout.line(ElicitCommand.help); return 0 }
            try ElicitCommand(parsed).run(context: context, stdout: stdout, stderr: stderr, input: stdin)
        case "watch":
            let parsed = try WatchCommand.parser.parse(rest)
            if parsed.help { stdout.line(WatchCommand.help); return 0 }
            try WatchCommand(parsed).run(context: context, stdout: stdout, stderr: stderr)
        case "models", "priors":
            let kind = CatalogCommand.Kind(rawValue: command)!
            let parsed = try CatalogCommand.parser(kind).parse(rest)
            if parsed.help { stdout.line(CatalogCommand.help(kind)); return 0 }
            try CatalogCommand(kind, parsed).run(context: context, stdout: stdout, stderr: stderr)
        default:
            throw Failure("unknown command '\(command)'; commands: \(commands.joined(separator: ", "))",
                          hint: "run 'curvecast --help' for what each does")
        }
        return 0
    }
}

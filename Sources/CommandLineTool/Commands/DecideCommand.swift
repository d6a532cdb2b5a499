import EarlyStopping
import Forecasting
import Foundation

/// `curvecast decide FILE --horizon STEP (--target VALUE | --best-of FILE...)`: should this run go
/// on to the horizon? The predictive stopping rule (`PredictiveStoppingRule`, Domhan et al. 2015)
/// on the forecast at the horizon, or with `--min-gain-per-step` the expected-improvement-per-step
/// rule (`ExpectedImprovementRule`).
///
/// Exit status: 0 continue, 1 stop, 2 any error (a failed fit included, so that 1 always means stop).
struct DecideCommand {
    typealias Failure = CommandLineTool.Failure

    enum Format: String, CaseIterable { case text, json }

    /// Where the target comes from.
    enum TargetSource {
        case value(Double)
        /// The best final (last logged) value among these files.
        case bestOf([String])
    }

    /// A one-off decision has no vote history: one stop vote stops unless --votes says otherwise.
    static let defaultVotes = 1

    var curve: CurveOptions
    var format = Format.text
    var horizon: Double
    var target: TargetSource
    var rule = PredictiveStoppingRule(consecutiveVotes: DecideCommand.defaultVotes)
    /// Set: the expected-improvement rule with this exchange rate replaces the probability rule.
    var minimumGainPerStep: Double?
    var previousVotes = 0

    static let parser = ArgumentParser(
        command: "decide",
        options: CurveOptions.parserOptions + [
            .value("horizon", "STEP"), .value("target", "VALUE"), .value("threshold", "P"),
            .value("min-gain-per-step", "VALUE"), .value("min-points", "N"), .value("ignore-before", "STEP"),
            .value("votes", "K"), .value("previous-votes", "N"), .value("format", "text|json"),
        ])

    static let help = """
    usage: curvecast decide FILE --horizon STEP (--target VALUE | --best-of FILE...)
                            [--threshold 0.05] [--min-gain-per-step VALUE] [--min-points 10]
                            [--ignore-before STEP] [--votes 1] [--previous-votes N]
                            [--format text|json] [options]

    Fits the run in FILE, forecasts its metric at the horizon (the planned last step) and decides
    whether the run should go on: it stops when P(final value beats the target) < --threshold
    (Domhan et al. 2015), unless a guard says it is too early, or the fit cannot be trusted for the
    decision (its chains disagree on it, or too many transitions diverged; see "Diagnostics").

    Where:
      --horizon STEP            the planned last step of the run (after the last fitted step)
      --target VALUE            the value to beat (e.g. the best final loss of the study so far)
      --best-of FILE...         the target is the best final (last logged) value among these runs,
                                each read with the same --x/--y/--direction/format options;
                                the files follow --best-of up to the next option
      --threshold P             stop when P(final beats target) < P (default 0.05)
      --min-gain-per-step VALUE instead: stop when the expected improvement over the target,
                                E[max(target - final, 0)] (maximize: E[max(final - target, 0)]),
                                per step still to train, is below VALUE (metric units per step;
                                Snoek et al. 2012's EI per unit cost)
      --min-points N            points needed (after --ignore-before) before a stop (default 10)
      --ignore-before STEP      points at steps <= STEP do not count toward --min-points
      --votes K                 consecutive stop votes needed to stop (default 1: one evaluation
                                decides; a scheduler that calls decide repeatedly passes the last
                                "stop_votes" back with --previous-votes)
      --previous-votes N        stop votes in a row before this evaluation (default 0)

    Output:
      --format text|json        text (default): the decision, the probability, the forecast and
                                the reason. json: one object:
        {"decision": "continue" or "stop", "probability": P(final beats target),
         "target": value, "target_source": {"kind": "value"} or {"kind": "best_of", "file", "step"},
         "horizon": STEP, "threshold": P (or "min_gain_per_step": VALUE and "expected_improvement"),
         "stop_votes": n, "forecast": {"mean", "quantiles": {"0.025": v, ..., "0.975": v}},
         "reason": text, "model", "file", "metric", "direction", "fit_until", "points",
         "decision_diagnostics": {"pass", "chain_votes": ["stop" or "continue" per chain],
                                  "divergence_rate", "problems": [text]},
         "diagnostics": {...as in 'curvecast fit --format json'...}}
        Values are on the metric's own scale (accuracies for --direction maximize).

    Diagnostics: a stop needs every chain alone to vote as all draws do (with --chains 1, each half
    of the chain, as split-R-hat cuts chains) and at most 2% of the transitions divergent
    ("decision_diagnostics"); the strict all-parameter test of 'curvecast fit' ("diagnostics") is
    reported too. Fits for decide sample with target acceptance 0.99.

    \(CurveOptions.help)

    Exit status: 0 continue, 1 stop, 2 error (bad command line or input, or the fit failed).
    """

    /// Parses `arguments` (after `decide`), prints the help or decides; returns the exit status.
    static func main(_ arguments: [String], context: CommandLineTool.Context, stdout: TextOutput,
                     stderr: TextOutput) throws(Failure) -> Int32 {
        let (rest, bestOf) = try splitBestOf(arguments)
        let parsed = try parser.parse(rest)
        if parsed.help {
            stdout.line(help)
            return 0
        }
        return try DecideCommand(parsed, bestOf: bestOf).run(context: context, stdout: stdout, stderr: stderr)
    }

    init(_ parsed: ArgumentParser.Parsed, bestOf: [String]?) throws(Failure) {
        curve = try CurveOptions(parsed, command: "decide", allowsDemo: false)
        format = try parsed.choice("format", Format.allCases.map(\.rawValue), command: "decide").flatMap(Format.init) ?? format
        guard let horizon = try parsed.positiveNumber("horizon", command: "decide") else {
            throw .usage("missing --horizon STEP: the planned last step of the run", command: "decide")
        }
        self.horizon = horizon
        let value: Double?
        if let text = parsed.string("target") {
            guard let v = ArgumentParser.Parsed.number(text) else {
                throw .usage("option '--target': '\(text)' is not a number", command: "decide")
            }
            value = v
        } else {
            value = nil
        }
        switch (value, bestOf) {
        case (let v?, nil): target = .value(v)
        case (nil, let files?): target = .bestOf(files)
        case (nil, nil):
            throw .usage("missing the target: give --target VALUE or --best-of FILE... (the study's finished runs)", command: "decide")
        case (_?, _?): throw .usage("give --target or --best-of, not both", command: "decide")
        }
        if let p = try parsed.positiveNumber("threshold", command: "decide") {
            guard p < 1 else { throw .usage("option '--threshold': '\(p)' is not a probability between 0 and 1", command: "decide") }
            rule.threshold = p
        }
        minimumGainPerStep = try parsed.positiveNumber("min-gain-per-step", command: "decide")
        if minimumGainPerStep != nil, parsed.string("threshold") != nil {
            throw .usage("--threshold belongs to the probability rule and --min-gain-per-step replaces it; give one", command: "decide")
        }
        rule.minimumPoints = try parsed.integer("min-points", in: 1...Int.max, command: "decide") ?? rule.minimumPoints
        rule.warmupSteps = try parsed.positiveNumber("ignore-before", command: "decide") ?? rule.warmupSteps
        rule.consecutiveVotes = try parsed.integer("votes", in: 1...1000, command: "decide") ?? rule.consecutiveVotes
        previousVotes = try parsed.integer("previous-votes", in: 0...Int.max, command: "decide") ?? previousVotes
    }

    /// Takes `--best-of FILE FILE ...` (the files up to the next argument starting with `--`) or
    /// `--best-of=FILE,FILE` out of the arguments, which the option parser (one value per option)
    /// cannot read.
    static func splitBestOf(_ arguments: [String]) throws(Failure) -> (rest: [String], files: [String]?) {
        var rest: [String] = [], files: [String]?
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if argument == "--" {
                rest += arguments[(i - 1)...]
                break
            }
            guard argument == "--best-of" || argument.hasPrefix("--best-of=") else {
                rest.append(argument)
                continue
            }
            guard files == nil else { throw .usage("option '--best-of' is given twice; list every file after one --best-of", command: "decide") }
            var found: [String] = []
            if argument.hasPrefix("--best-of=") {
                found = argument.dropFirst("--best-of=".count).split(separator: ",").map(String.init)
            } else {
                while i < arguments.count, !arguments[i].hasPrefix("--"), !arguments[i].isEmpty, arguments[i] != "-h" {
                    found.append(arguments[i])
                    i += 1
                }
            }
            guard !found.isEmpty else {
                throw .usage("option '--best-of' needs at least one FILE (the study's finished runs)", command: "decide")
            }
            files = found
        }
        return (rest, files)
    }

    /// The decision's exit status: 0 continue, 1 stop. Every failure is status 2.
    func run(context: CommandLineTool.Context, stdout: TextOutput, stderr: TextOutput) throws(Failure) -> Int32 {
        do {
            return try decide(context: context, stdout: stdout, stderr: stderr)
        } catch {
            var failure = error
            failure.status = CommandLineTool.usageStatus
            throw failure
        }
    }

    private func decide(context: CommandLineTool.Context, stdout: TextOutput, stderr: TextOutput) throws(Failure) -> Int32 {
        let warn: (String) -> Void = { stderr.line("curvecast: warning: \($0)") }
        let (loaded, options) = try CurveLoader.loadSelected(curve, context: context, warn: warn)
        let fitted = options.fitUntil.map { cut in loaded.steps.filter { $0 <= cut } } ?? loaded.steps
        let lastFitted = fitted[fitted.count - 1]
        guard horizon > lastFitted else {
            throw Failure("--horizon \(NumberFormat.step(horizon)) is not after the last fitted step \(NumberFormat.step(lastFitted)); give the run's planned last step")
        }
        let direction = OptimizationDirection(rawValue: loaded.direction.rawValue) ?? .minimize
        let (targetValue, source) = try resolveTarget(options: options, direction: direction, context: context, warn: warn)

        let fitting = try CurveFitting.run(curve: loaded, options: options, context: context, stderr: stderr,
                                           horizonRatio: horizon / lastFitted,
                                           targetAcceptance: DecisionDiagnostics.targetAcceptance)
        let draws: [Double]
        do {
            draws = try fitting.result.predictive(at: [horizon]).values[0].map(loaded.metricValue(fromModeled:))
        } catch {
            throw .runtime("forecasting failed: \(error)")
        }
        let result = fitting.result
        let decision: StoppingDecision
        let diagnostics: DecisionDiagnostics
        func assess(_ vote: ([Double]) -> Bool) -> DecisionDiagnostics {
            DecisionDiagnostics.assess(draws: draws, of: result, vote: vote)
        }
        if let gain = minimumGainPerStep {
            let ei = ExpectedImprovementRule(minimumGainPerStep: gain, minimumPoints: rule.minimumPoints,
                                             warmupSteps: rule.warmupSteps, consecutiveVotes: rule.consecutiveVotes)
            diagnostics = assess { ei.votesStop($0, target: targetValue, direction: direction, currentStep: lastFitted, horizon: horizon) }
            decision = ei.decide(horizonDraws: draws, target: targetValue, direction: direction, currentStep: lastFitted,
                                 horizon: horizon, observedSteps: fitted, diagnosticsPass: diagnostics.pass,
                                 previousStopVotes: previousVotes)
        } else {
            let rule = self.rule
            diagnostics = assess { rule.votesStop($0, target: targetValue, direction: direction) }
            decision = rule.decide(horizonDraws: draws, target: targetValue, direction: direction, observedSteps: fitted,
                                   diagnosticsPass: diagnostics.pass, previousStopVotes: previousVotes)
        }
        if !diagnostics.pass {
            stderr.line("curvecast: warning: the fit cannot be decided on (\(diagnostics.problems.joined(separator: "; "))); the rule does not stop on it")
        }
        let forecast = Forecast(draws: draws)
        switch format {
        case .json: stdout.line(json(fitting, decision, diagnostics, forecast, target: targetValue, source: source).rendered())
        case .text: stdout.line(text(fitting, decision, diagnostics, forecast, target: targetValue, source: source))
        }
        return decision.verdict == .stop ? 1 : 0
    }

    /// The best final value of the --best-of files and which file and step it comes from.
    struct BestFinal {
        var file: String
        var step: Double
    }

    private func resolveTarget(options: CurveOptions, direction: OptimizationDirection, context: CommandLineTool.Context,
                               warn: (String) -> Void) throws(Failure) -> (Double, BestFinal?) {
        switch target {
        case .value(let v): return (v, nil)
        case .bestOf(let files):
            var best: (value: Double, source: BestFinal)?
            for file in files {
                var other = options
                other.file = file
                other.fitUntil = nil
                let run = try CurveLoader.load(path: file, options: other, context: context, warn: warn)
                let final = run.values[run.values.count - 1]
                if best == nil || direction.beats(final, best!.value) {
                    best = (final, BestFinal(file: file, step: run.steps[run.steps.count - 1]))
                }
            }
            return (best!.value, best!.source)
        }
    }
}

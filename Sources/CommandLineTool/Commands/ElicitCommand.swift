import CurveModels
import Elicitation
import Foundation

/// Where interactive commands read their answers: the process's standard input, or lines given
/// in memory (tests). Thread-safe like `TextOutput`.
public final class LineSource: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String]?
    private var index = 0

    /// Reads the process's standard input (a terminal or a pipe).
    public static func standardInput() -> LineSource { LineSource(nil) }

    /// Serves `lines` in order, then end of input.
    public init(lines: [String]) { self.lines = lines }

    private init(_ lines: [String]?) { self.lines = lines }

    /// The next line without its newline; nil at end of input.
    public func readLine() -> String? {
        lock.lock()
        defer { lock.unlock() }
        guard let lines else { return Swift.readLine(strippingNewline: true) }
        guard index < lines.count else { return nil }
        index += 1
        return lines[index - 1]
    }
}

/// `curvecast elicit --model NAME [--curve FILE] [--answers FILE] [--out FILE] [--force]`.
struct ElicitCommand {
    typealias Failure = CommandLineTool.Failure

    static let parser = ArgumentParser(command: "elicit", options: [
        .value("model", "NAME"), .value("curve", "FILE"), .value("answers", "FILE.json"), .value("out", "FILE"),
        .value("x", "COLUMN"), .value("y", "COLUMN"), .value("models", "DIR"), .value("priors", "DIR"), .flag("force"),
    ])

    static let help = """
    usage: curvecast elicit --model NAME [--curve FILE] [--answers FILE.json] [--out FILE] [--force]

    Builds a prior for a model from judgements you can make about your run, shows what the prior
    implies, and saves it as an ordinary prior file (use it with 'curvecast forecast --prior FILE').
    Questions (answer with quantiles, e.g. '0.05=1.8 0.5=2.0 0.95=2.3', or 'skip' to keep the default):
      - the loss floor (parameter E or L0), in loss units;
      - the exponent (alpha or alpha1), where the model has one;
      - the loss at a future step ('10x' the current step, or a step number).
    Answers are in the curve's own units. Priors live on normalized axes (Priors/README.md): with
    --curve, step_ref is the curve's last step and loss_ref the median of its last five losses;
    without it you are asked for the current step and loss. The floor and the exponent are fitted
    by quantile matching in the family of the default prior (lognormal: exact for two quantiles).
    The future-loss question adjusts ONLY the amplitude A (its prior becomes a lognormal), so that
    Monte Carlo quantiles of the prior predictive mean at that step match yours; models without A
    cannot take it. After fitting, a table shows asked next to implied quantiles (a note says why
    a judgement could not be met within 5%), then a fan chart of the prior predictive at 1x-100x;
    answer 'a' to save, 'r' to revise, 'q' to quit without saving.

      --model NAME        the model ('curvecast models' lists them)
      --curve FILE        a CSV/JSONL log (columns --x, default step, and --y, default loss)
      --answers FILE.json answer non-interactively (for scripts); format:
                          {"current": {"step": S, "loss": L},            (needed without --curve)
                           "floor": {"0.05": v, "0.5": v, "0.95": v} | "skip",
                           "exponent": {...} | "skip",
                           "future": {"at": "10x" | STEP, "quantiles": {"0.05": v, "0.95": v}} | "skip"}
      --out FILE          where to write the prior (default: NAME-elicited.json in this folder)
      --force             overwrite --out if it exists
      --models DIR, --priors DIR   where the models and default priors are
    """

    var model: String
    var curve: String?
    var answersPath: String?
    var out: String?
    var force: Bool
    var parsed: ArgumentParser.Parsed

    init(_ parsed: ArgumentParser.Parsed) throws(Failure) {
        guard let model = parsed.string("model") else {
            throw .usage("missing --model NAME ('curvecast models' lists them)", command: "elicit")
        }
        if let extra = parsed.positionals.first {
            throw .usage("unexpected argument '\(extra)'; give the curve with --curve FILE", command: "elicit")
        }
        self.model = model
        curve = parsed.string("curve")
        answersPath = parsed.string("answers")
        out = parsed.string("out")
        force = parsed.flag("force")
        self.parsed = parsed
    }

    func run(context: CommandLineTool.Context, stdout: TextOutput, stderr: TextOutput, input: LineSource) throws(Failure) {
        let directories = try ModelDirectories.locate(
            modelsOption: parsed.string("models"), priorsOption: parsed.string("priors"), context: context)
        let catalog = ModelCatalog.load(directories)
        let definition: ModelDefinition
        do { definition = try catalog.library.model(named: model) } catch { throw .usage(error.description, command: "elicit") }
        guard let base = catalog.priors[model] else {
            throw Failure("no default prior for model '\(model)' in \(directories.priors.path); fix it or pass --priors DIR")
        }
        let outPath = out ?? "\(model)-elicited.json"
        let outURL = context.resolve(outPath)
        if FileManager.default.fileExists(atPath: outURL.path), !force {
            throw Failure("\(outPath) exists; pass --force to overwrite it or choose another --out FILE")
        }
        var answers: Answers?
        if let answersPath {
            let url = context.resolve(answersPath)
            guard let data = try? Data(contentsOf: url) else { throw Failure("--answers \(answersPath): cannot read the file") }
            do { answers = try Answers.parse(data) } catch { throw Failure("--answers \(answersPath): \(error.message)") }
        }
        let session = Session(stdout: stdout, input: input, answers: answers)
        let (stepRef, lossRef) = try references(session: session, context: context, stderr: stderr)
        stdout.line("model \(model): \(definition.description)")
        stdout.line("normalization: step_ref \(NumberFormat.step(stepRef)), loss_ref \(String(format: "%.4g", lossRef))")
        let elicitor = Elicitor(model: definition, basePrior: base, stepRef: stepRef, lossRef: lossRef)
        while true {
            let outcome = try session.elicit(elicitor)
            stdout.line(Elicitor.comparisonTable(outcome.rows))
            for note in outcome.notes { stdout.line("note: \(note)") }
            stdout.line(Elicitor.fanChartText(elicitor.fanChart(outcome.prior)))
            if answers == nil {
                switch try session.ask("accept, revise or quit? [a/r/q]", { $0.lowercased().first.map(String.init) }, valid: ["a", "r", "q"]) {
                case "r": continue
                case "q":
                    stdout.line("nothing written")
                    return
                default: break
                }
            }
            try outcome.prior.validateOrFail(against: definition)
            do {
                try outcome.prior.jsonData().write(to: outURL)
            } catch {
                throw .runtime("cannot write \(outPath) (\(error.localizedDescription))")
            }
            stdout.line("wrote \(outPath); use it with: curvecast forecast FILE --model \(model) --prior \(outPath)")
            return
        }
    }

    /// step_ref and loss_ref: from the curve (as `CurveData`), the answers file, or asked.
    func references(session: Session, context: CommandLineTool.Context, stderr: TextOutput) throws(Failure) -> (Double, Double) {
        if let curve {
            var values: [String: String] = [:]
            values["x"] = parsed.string("x")
            values["y"] = parsed.string("y")
            let options = try CurveOptions(ArgumentParser.Parsed(positionals: [curve], values: values), command: "elicit", allowsDemo: false)
            let loaded = try CurveLoader.load(path: curve, options: options, context: context) { stderr.line("curvecast: warning: \($0)") }
            let tail = loaded.modeled.suffix(5).sorted()
            return (loaded.steps[loaded.steps.count - 1], tail[tail.count / 2])
        }
        if let answers = session.answers {
            guard let step = answers.currentStep, let loss = answers.currentLoss else {
                throw Failure("--answers: without --curve the answers need \"current\": {\"step\": S, \"loss\": L} (the normalization refs)")
            }
            return (step, loss)
        }
        let positive: (String) -> Double? = { Double($0).flatMap { $0.isFinite && $0 > 0 ? $0 : nil } }
        let step = try session.ask("current step (the last step of your run, e.g. 20000):", positive)
        let loss = try session.ask("current loss (at that step, e.g. 3.1):", positive)
        return (step, loss)
    }
}

/// The question-and-answer state of one `elicit` run.
final class Session {
    let stdout: TextOutput
    let input: LineSource
    let answers: Answers?

    init(stdout: TextOutput, input: LineSource, answers: Answers?) {
        self.stdout = stdout
        self.input = input
        self.answers = answers
    }

    /// Prompts until `parse` accepts a line (and it is in `valid` if given).
    func ask<T>(_ prompt: String, _ parse: (String) -> T?, valid: Set<String>? = nil) throws(CommandLineTool.Failure) -> T {
        while true {
            stdout.line(prompt)
            guard let line = input.readLine() else {
                throw CommandLineTool.Failure("input ended before the questions were answered; answer them, or use --answers FILE.json")
            }
            if let value = parse(line.trimmingCharacters(in: .whitespaces)) {
                if let valid, let s = value as? String, !valid.contains(s) {} else { return value }
            }
            stdout.line("not understood: '\(line)'")
        }
    }

    /// Reads a quantile line (or skip), re-asking on a malformed or invalid answer.
    func askQuantiles(_ prompt: String, quantity: String) throws(CommandLineTool.Failure) -> [QuantilePoint]? {
        while true {
            stdout.line(prompt)
            guard let line = input.readLine() else {
                throw CommandLineTool.Failure("input ended before the questions were answered; answer them, or use --answers FILE.json")
            }
            do {
                guard let points = try Answers.parseQuantileLine(line) else { return nil }
                return try validateQuantiles(points, quantity: quantity)
            } catch {
                stdout.line("\(error.message); try again")
            }
        }
    }

    /// Collects the judgements (file or prompts) and fits; interactive errors re-ask everything.
    func elicit(_ elicitor: Elicitor) throws(CommandLineTool.Failure) -> Elicitor.Outcome {
        if let answers {
            var judgements = Elicitor.Judgements(floor: answers.floor, exponent: answers.exponent)
            if let at = answers.futureAt, let q = answers.futureQuantiles {
                judgements.future = .init(step: Self.step(at, elicitor.stepRef), quantiles: q)
            }
            do { return try elicitor.elicit(judgements) } catch { throw CommandLineTool.Failure("--answers: \(error.message)") }
        }
        while true {
            var judgements = Elicitor.Judgements()
            if let name = elicitor.floorParameter {
                judgements.floor = try askQuantiles(
                    "loss floor (\(name)): the loss the run would reach with unlimited steps; quantiles like 0.05=1.8 0.5=2.0 0.95=2.3, or skip:",
                    quantity: "loss floor")
            }
            if let name = elicitor.exponentParameter {
                judgements.exponent = try askQuantiles(
                    "exponent (\(name)): the log-log slope of the excess loss; quantiles like 0.05=0.2 0.95=1.0, or skip:",
                    quantity: "exponent")
            }
            if elicitor.amplitudeParameter != nil {
                let at = try ask("loss at a future step: which step? (e.g. 10x the current step, or a step number; skip):") { text -> String? in
                    text.lowercased() == "skip" || text.isEmpty || (try? Answers.parseAt(text)) != nil ? text : nil
                }
                if at.lowercased() != "skip", !at.isEmpty, let parsedAt = try? Answers.parseAt(at) {
                    let step = Self.step(parsedAt, elicitor.stepRef)
                    if let q = try askQuantiles("loss at step \(NumberFormat.step(step)): quantiles like 0.05=2.3 0.95=2.6, or skip:",
                                                quantity: "loss at step \(NumberFormat.step(step))") {
                        judgements.future = .init(step: step, quantiles: q)
                    }
                }
            }
            do {
                return try elicitor.elicit(judgements)
            } catch {
                stdout.line("\(error.message); answer again")
            }
        }
    }

    static func step(_ at: Answers.At, _ stepRef: Double) -> Double {
        switch at {
        case .multiple(let m): return m * stepRef
        case .step(let s): return s
        }
    }
}

extension PriorSet {
    /// `validate(against:)` as a command-line failure (status 1: the elicitation produced it).
    func validateOrFail(against model: ModelDefinition) throws(CommandLineTool.Failure) {
        do { try validate(against: model) } catch { throw .runtime("the elicited prior is invalid: \(error)") }
    }
}

import Forecasting
import Foundation

/// `curvecast fit FILE...`: the posterior summary with diagnostics, as a table or JSON, and
/// optionally the draws saved to a directory. Several FILEs are fitted jointly (shared
/// parameters, each run under its own learning-rate schedule).
struct FitCommand {
    typealias Failure = CommandLineTool.Failure

    enum Format: String, CaseIterable { case table, json }

    var curve: CurveOptions
    var format = Format.table
    var save: String?
    var force = false

    static let parser = ArgumentParser(
        command: "fit",
        options: CurveOptions.parserOptions + CurveOptions.scheduleOptions
            + [.value("format", "table|json"), .value("save", "DIR"), .flag("force")])

    static let help = """
    usage: curvecast fit FILE [FILE...] [--model NAME|auto] [--fit-until STEP] [--seed N] [--chains N]
                                        [--schedule FILE|JSON] [--manifest FILE]
                                        [--format table|json] [--save DIR [--force]] [options]

    Fits a learning-curve model to the curve in FILE and prints the posterior summary of its
    parameters (on the normalized scale: t = step / last fitted step, value / the curve's level at
    that step; see Models/README.md) with the sampler's diagnostics. A fit whose diagnostics fail
    says so.

    Several FILEs are fitted jointly: runs of the same model and data under different learning-rate
    schedules, sharing the law's parameters and the noise's (each run's covariates come from its own
    schedule; t and values are normalized by the longest run's last step and level). --fit-until
    applies to every run. The default model is then multi_power (Luo et al. 2025), as it is for a
    single run whose schedule anneals after warmup; --model auto otherwise fits
    \(Forecaster.automaticCandidates.joined(separator: ", ")).

    Output:
      --format table|json       table (default): a stansummary-style table per model.
                                json: one object:
        {"model": NAME or "auto", "file", "metric", "direction", "modeled": "value" or "1 - value",
         "scale", "fit_until": last fitted step, "points": fitted points,
         "schedule": where the schedule came from or null,
         "runs": [{"file", "points", "fit_until", "schedule"}] (joint fits only),
         "parameters": {"NAME": {"mean", "sd", "q05", "q50", "q95", "ess_bulk", "ess_tail", "rhat"}},
         "diagnostics": {"pass": bool, "chains", "draws_per_chain", "transitions": [per chain],
                         "divergences": [per chain], "tree_depth_hits": [per chain], "max_tree_depth",
                         "ebfmi": [per chain], "step_sizes": [per chain], "leapfrog_steps": [per chain],
                         "warnings": [text]},
         "components": [{"model", "weight", "noise", "parameters", "diagnostics"}]}
        "components" lists every fitted model (one for --model NAME). "parameters" is present when
        there is exactly one component; with several, the top-level "diagnostics" is
        {"pass", "warnings": ["MODEL: text"]} and each component has the full form.
        Non-finite numbers are null.
      --save DIR                also write DIR/draws_MODEL.csv per component (columns: chain, draw,
                                then every parameter on its constrained scale, then Stan's sampler
                                columns lp__, accept_stat__, stepsize__, treedepth__, n_leapfrog__,
                                divergent__ (0/1), energy__; chains and draws count from 1) and
                                DIR/summary.json (the json output). DIR is created if
                                needed; existing files are never overwritten without --force.
      --force                   overwrite existing files in the --save directory

    \(CurveOptions.help)

    \(CurveOptions.scheduleHelp)

    Exit status: 0 done (check "pass"), 1 the fit or writing failed, 2 bad command line or input.
    """

    init(_ parsed: ArgumentParser.Parsed) throws(Failure) {
        curve = try CurveOptions(parsed, command: "fit", allowsDemo: false, allowsSeveralFiles: true)
        format = try parsed.choice("format", Format.allCases.map(\.rawValue), command: "fit").flatMap(Format.init) ?? format
        save = parsed.string("save")
        force = parsed.flag("force")
        if force && save == nil { throw .usage("--force only applies to --save DIR; add --save DIR or drop --force", command: "fit") }
    }

    func run(context: CommandLineTool.Context, stdout: TextOutput, stderr: TextOutput) throws(Failure) {
        let warn: (String) -> Void = { stderr.line("curvecast: warning: \($0)") }
        var runs: [LoadedCurve] = []
        for file in curve.files { runs.append(try CurveLoader.load(path: file, options: curve, context: context, warn: warn)) }
        let joint = runs.count > 1
        // Check the save directory before spending time on the fit.
        var saver: DrawsWriter?
        if let save {
            let writer = try DrawsWriter(directory: save, force: force, context: context)
            let automatic = joint ? Forecaster.scheduleAwareCandidates : Forecaster.automaticCandidates(schedules: [runs[0].schedule])
            try writer.checkTargets(models: curve.model.map { [$0] } ?? automatic)
            saver = writer
        }
        let fitting = joint
            ? try CurveFitting.runJoint(runs.map { ($0, curve.fitUntil) }, about: runs[0], options: curve, context: context,
                                        stderr: stderr, calibrate: false)
            : try CurveFitting.run(curve: runs[0], options: curve, context: context, stderr: stderr)
        switch format {
        case .table: stdout.line(FitReport.text(fitting))
        case .json: stdout.line(FitReport.json(fitting).rendered())
        }
        if let saver {
            let written = try saver.write(fitting)
            stderr.line("curvecast: saved " + written.joined(separator: ", "))
        }
    }
}

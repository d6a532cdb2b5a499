import Foundation

/// The real curve bundled with the executable (Resources/demo: its SOURCE.md and LICENSE).
enum DemoCurve {
    /// The CSV (columns step, loss, tokens).
    static var url: URL? {
        Bundle.module.url(forResource: "demo", withExtension: nil)?.appendingPathComponent("256x23.csv")
    }

    static let displayName = "demo: gemstones/constant/256x23 (validation loss, MIT; see 'curvecast demo --help')"

    static let help = """
    usage: curvecast demo [--format table|csv|json] [--model NAME|auto] [--seed N] [--chains N] [--quiet]
                          [any 'curvecast forecast' option but FILE]

    Forecasts a real curve bundled with curvecast, so it works from any directory: the validation
    loss of a 48M-parameter Gemma-style language model (width x depth 256x23) trained at a constant
    learning rate, 175 points logged every 477 steps up to step 83,475, from the Gemstones scaling-law
    runs (github.com/mcleish7/gemstone-scaling-laws@5f42047, MIT license; SOURCE.md and LICENSE are
    bundled next to the curve).

    The demo fits the first 20% of the steps (up to step 16,695: 35 points) and forecasts at 1.5x, 2x,
    3x, 5x and 10x that step (snapped to logged steps inside the data), with the held-out observed
    loss next to the forecast where the curve has it (up to 5x). Same as 'curvecast forecast --demo'.
    """

    /// Steps inside the logged range moved to the nearest logged step, so the truth is known there.
    static func snap(_ steps: [Double], to logged: [Double]) -> [Double] {
        guard let first = logged.first, let last = logged.last else { return steps }
        return steps.map { s in
            guard s >= first, s <= last else { return s }
            return logged.min { abs($0 - s) < abs($1 - s) } ?? s
        }
    }

    /// The logged value at exactly `step`, if any.
    static func observed(at step: Double, steps: [Double], values: [Double]) -> Double? {
        steps.firstIndex(of: step).map { values[$0] }
    }
}

extension CurveLoader {
    /// Loads the curve `options` name: FILE, or with `--demo` the bundled curve (columns step and
    /// loss) fitted up to `ForecastCommand.demoFraction` of its last step unless `--fit-until`
    /// says otherwise. Returns the curve and the options as completed for it.
    static func loadSelected(
        _ requested: CurveOptions, context: CommandLineTool.Context, warn: (String) -> Void
    ) throws(CommandLineTool.Failure) -> (curve: LoadedCurve, options: CurveOptions) {
        var options = requested
        var path = options.file ?? ""
        var shown: String?
        if options.demo {
            guard let url = DemoCurve.url else { throw .runtime("the bundled demo curve is missing from this build") }
            path = url.path
            shown = DemoCurve.displayName
            options.stepColumn = "step"
            options.valueColumn = "loss"
            options.inputFormat = .csv
        }
        var loaded = try load(path: path, displayName: shown, options: options, context: context, warn: warn)
        if options.demo, options.fitUntil == nil {
            options.fitUntil = loaded.steps[loaded.steps.count - 1] * ForecastCommand.demoFraction
            loaded = try load(path: path, displayName: shown, options: options, context: context, warn: { _ in })
        }
        return (loaded, options)
    }
}

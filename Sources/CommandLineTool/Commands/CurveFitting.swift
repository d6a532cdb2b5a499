import CurveModels
import Forecasting
import Foundation
import Sampling

/// What `fit`, `forecast` and `demo` share: load the curve(s), find models and priors, fit.
struct CurveFitting {
    typealias Failure = CommandLineTool.Failure

    /// The curve the output is about: the fitted curve, or for `forecast --train` the target.
    var curve: LoadedCurve
    var result: ForecastResult
    /// The fitted points (those at or before --fit-until), over every run.
    var fittedCount: Int
    /// The runs fitted jointly, with their fitted point counts (empty for a single-curve fit).
    var jointRuns: [(curve: LoadedCurve, points: Int, fitUntil: Double)] = []

    /// Loads the models and priors of `options`, checks the model name and the prior, and fits.
    /// `horizonRatio` (farthest forecast step / last fitted step) tunes the calibration;
    /// `targetAcceptance` replaces the sampler's default (`decide` samples more carefully).
    static func run(
        curve: LoadedCurve, options: CurveOptions, context: CommandLineTool.Context, stderr: TextOutput,
        horizonRatio: Double? = nil, targetAcceptance: Double? = nil
    ) throws(Failure) -> CurveFitting {
        let names = options.model.map(ForecastRequest.modelNames) ?? Forecaster.automaticCandidates(schedules: [curve.schedule])
        let (library, priors) = try modelsAndPriors(names, runs: [curve], options: options, context: context)
        var request = self.request(options)
        request.fitUntil = options.fitUntil
        request.horizonRatio = horizonRatio
        request.schedule = curve.schedule
        if let targetAcceptance { request.settings.targetAcceptance = targetAcceptance }
        let steps = curve.steps, values = curve.modeled
        let fittedCount = options.fitUntil.map { cut in steps.filter { $0 <= cut }.count } ?? steps.count
        let result = try fitting(names, options: options, stderr: stderr) { progress throws(Forecaster.ForecastError) in
            try Forecaster.fit(steps: steps, values: values, request: request, library: library, priors: priors,
                               progress: progress)
        } data: { curve.file }
        return CurveFitting(curve: curve, result: result, fittedCount: fittedCount)
    }

    /// Fits `runs` jointly (shared parameters, each run under its own schedule; see
    /// `Forecaster.fit(runs:request:library:priors:progress:)`), each up to its `fitUntil`.
    /// `curve` is what the output is about (the first run, or a forecast target). `calibrate`:
    /// measure the discrepancy terms forecasts need (`fit` alone does not).
    static func runJoint(
        _ runs: [(curve: LoadedCurve, fitUntil: Double?)], about curve: LoadedCurve, options: CurveOptions,
        context: CommandLineTool.Context, stderr: TextOutput, calibrate: Bool
    ) throws(Failure) -> CurveFitting {
        let names = options.model.map(ForecastRequest.modelNames) ?? Forecaster.scheduleAwareCandidates
        let (library, priors) = try modelsAndPriors(names, runs: runs.map(\.curve), options: options, context: context)
        var request = self.request(options)
        request.calibrate = calibrate
        let training = runs.map { run in
            TrainingRun(name: run.curve.file, steps: run.curve.steps, values: run.curve.modeled,
                        schedule: run.curve.schedule, fitUntil: run.fitUntil)
        }
        let result = try fitting(names, options: options, stderr: stderr) { progress throws(Forecaster.ForecastError) in
            try Forecaster.fit(runs: training, request: request, library: library, priors: priors, progress: progress)
        } data: { runs[0].curve.file }
        let joint = zip(runs, training).map { run, t in
            (curve: run.curve, points: t.fitted.steps.count, fitUntil: t.fitted.steps.last ?? 0)
        }
        return CurveFitting(curve: curve, result: result, fittedCount: joint.map(\.points).reduce(0, +), jointRuns: joint)
    }

    /// The sampler settings and data scale of `options`.
    static func request(_ options: CurveOptions) -> ForecastRequest {
        var request = ForecastRequest(modelName: options.model)
        request.scale = options.scale
        request.settings.chains = options.chains
        request.settings.warmup = options.warmup
        request.settings.samples = options.samples
        request.settings.seed = options.seed
        return request
    }

    /// Runs `fit` with a progress line, mapping its errors to the command line's.
    static func fitting(
        _ names: [String], options: CurveOptions, stderr: TextOutput,
        _ fit: (_ progress: (@Sendable (ChainProgress) -> Void)?) throws(Forecaster.ForecastError) -> ForecastResult,
        data file: () -> String
    ) throws(Failure) -> ForecastResult {
        let label = options.model ?? "auto (\(names.joined(separator: ", ")))"
        let reporter = options.quiet ? nil : ProgressReporter(
            output: stderr, label: "fitting \(label)", chains: options.chains,
            iterationsPerChain: options.warmup + options.samples, passes: names.count)
        var progress: (@Sendable (ChainProgress) -> Void)?
        if let reporter { progress = { reporter.update($0) } }
        do throws(Forecaster.ForecastError) {
            let result = try fit(progress)
            reporter?.finish()
            return result
        } catch {
            reporter?.finish()
            switch error {
            case .data(let problem): throw Failure("\(file()): \(problem.description)")
            case .runData(let run, let problem): throw Failure("\(run): \(problem.description)")
            case .model(let m), .prior(let m): throw Failure(m)
            case .fit(let m): throw .runtime("fitting failed: \(m)")
            }
        }
    }

    /// The model library and the priors for `names`: checks that the models exist, that
    /// schedule-aware ones have a schedule for every run, and reads `--prior`.
    static func modelsAndPriors(
        _ names: [String], runs: [LoadedCurve], options: CurveOptions, context: CommandLineTool.Context
    ) throws(Failure) -> (ModelLibrary, [String: PriorSet]) {
        let directories = try ModelDirectories.locate(
            modelsOption: options.modelsDirectory, priorsOption: options.priorsDirectory, context: context)
        let catalog = ModelCatalog.load(directories)
        for name in names {
            guard let model = try? catalog.library.model(named: name) else {
                if let failure = catalog.modelFailures.first(where: { ($0.file as NSString).lastPathComponent == "\(name).model" }) {
                    throw Failure("model '\(name)' failed to load: \(failure.description)")
                }
                throw Failure(
                    "unknown model '\(name)'; available (in \(directories.models.path)): \(catalog.library.names.joined(separator: ", ")); 'curvecast models' describes them",
                    hint: "pass one with --model NAME, or --model auto")
            }
            let needsSchedule = model.usesScheduleFunctionals || !model.covariates.isSubset(of: [.t])
            if needsSchedule, let bare = runs.first(where: { $0.schedule == nil }) {
                throw Failure("\(bare.file): model '\(name)' needs the run's learning-rate schedule, and none was found; add an lr column to the log, a sidecar \(ScheduleLoader.sidecar(of: URL(fileURLWithPath: bare.file)).lastPathComponent), --manifest FILE or --schedule FILE|JSON")
            }
        }
        var priors = catalog.priors
        if let path = options.prior {
            let prior: PriorSet
            do {
                prior = try PriorSet.load(contentsOf: context.resolve(path))
            } catch {
                throw Failure("--prior \(path): \(error.description)")
            }
            guard names.contains(prior.model) else {
                if let model = options.model {
                    throw Failure("--prior \(path): the priors are for model '\(prior.model)' but --model is '\(model)'; pass --model \(prior.model) or the prior file of '\(model)'")
                }
                throw Failure("--prior \(path): the priors are for model '\(prior.model)', which --model auto does not fit (it fits \(names.joined(separator: ", "))); pass --model \(prior.model)")
            }
            do {
                // The name was checked above, so the model exists.
                try prior.validate(against: try catalog.library.model(named: prior.model))
            } catch {
                throw Failure("--prior \(path): \(error)")
            }
            priors[prior.model] = prior
        }
        for name in names where priors[name] == nil {
            let why = catalog.priorFailures[name]?.description ?? "no prior file \(name).json in \(directories.priors.path)"
            throw Failure("no default prior for model '\(name)': \(why); fix it or pass --prior FILE")
        }
        return (catalog.library, priors)
    }
}

import CurveModels
import Forecasting
import Foundation
import Sampling

/// What `fit`, `forecast` and `demo` share: load the curve, find models and priors, fit.
struct CurveFitting {
    typealias Failure = CommandLineTool.Failure

    var curve: LoadedCurve
    var result: ForecastResult
    /// The fitted points (those at or before --fit-until).
    var fittedCount: Int

    /// Loads the models and priors of `options`, checks the model name and the prior, and fits.
    /// `horizonRatio` (farthest forecast step / last fitted step) tunes the calibration;
    /// `targetAcceptance` replaces the sampler's default (`decide` samples more carefully).
    static func run(
        curve: LoadedCurve, options: CurveOptions, context: CommandLineTool.Context, stderr: TextOutput,
        horizonRatio: Double? = nil, targetAcceptance: Double? = nil
    ) throws(Failure) -> CurveFitting {
        let directories = try ModelDirectories.locate(
            modelsOption: options.modelsDirectory, priorsOption: options.priorsDirectory, context: context)
        let catalog = ModelCatalog.load(directories)
        let names = options.model.map { [$0] } ?? Forecaster.automaticCandidates
        for name in names {
            guard catalog.library.names.contains(name) else {
                if let failure = catalog.modelFailures.first(where: { ($0.file as NSString).lastPathComponent == "\(name).model" }) {
                    throw Failure("model '\(name)' failed to load: \(failure.description)")
                }
                throw Failure(
                    "unknown model '\(name)'; available (in \(directories.models.path)): \(catalog.library.names.joined(separator: ", ")); 'curvecast models' describes them",
                    hint: "pass one with --model NAME, or --model auto")
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

        var request = ForecastRequest(modelName: options.model, fitUntil: options.fitUntil)
        request.scale = options.scale
        request.settings.chains = options.chains
        request.settings.warmup = options.warmup
        request.settings.samples = options.samples
        request.settings.seed = options.seed
        request.horizonRatio = horizonRatio
        if let targetAcceptance { request.settings.targetAcceptance = targetAcceptance }
        let steps = curve.steps, values = curve.modeled
        let fittedCount = options.fitUntil.map { cut in steps.filter { $0 <= cut }.count } ?? steps.count
        let label = options.model ?? "auto (\(names.joined(separator: ", ")))"
        let reporter = options.quiet ? nil : ProgressReporter(
            output: stderr, label: "fitting \(label)", chains: options.chains,
            iterationsPerChain: options.warmup + options.samples, passes: names.count)
        var progress: (@Sendable (ChainProgress) -> Void)?
        if let reporter { progress = { reporter.update($0) } }
        let result: ForecastResult
        do throws(Forecaster.ForecastError) {
            result = try Forecaster.fit(steps: steps, values: values, request: request, library: catalog.library,
                                        priors: priors, progress: progress)
            reporter?.finish()
        } catch {
            reporter?.finish()
            switch error {
            case .data(let problem): throw Failure("\(curve.file): \(problem.description)")
            case .runData(let run, let problem): throw Failure("\(run): \(problem.description)")
            case .model(let m), .prior(let m): throw Failure(m)
            case .fit(let m): throw .runtime("fitting failed: \(m)")
            }
        }
        return CurveFitting(curve: curve, result: result, fittedCount: fittedCount)
    }
}

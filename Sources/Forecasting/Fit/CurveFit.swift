import CurveModels
import Foundation
import Sampling

/// How a curve posterior is sampled. Defaults: 4 chains x (300 warmup + 300 draws) with
/// Laplace preconditioning (L-BFGS from the prior median and prior draws, then NUTS on the
/// standardized coordinates), which reaches R-hat < 1.01 on the shipped models in a fraction of
/// Stan's default 1000 + 1000 (see README, "nuts"). 1,200 draws put the Monte Carlo error of a
/// 2.5% quantile well below the bands' width; the back-test measures calibration with these
/// settings (the command line uses Stan's 1000 + 1000 unless told otherwise).
public struct FitSettings: Sendable {
    public var chains = 4
    public var warmup = 300
    public var samples = 300
    public var seed: UInt64 = 1
    public var maxTreeDepth = 10
    /// NUTS's target acceptance (Stan's adapt_delta). 0.9 rather than Stan's 0.8: broken power
    /// laws have curved posteriors where the smaller steps avoid most divergences
    /// (CALIBRATION_NOTES lesson 4).
    public var targetAcceptance = 0.9
    public var optimizationStarts = 6
    public var preconditioned = true
    /// Earlier adaptations to continue from, by model name (see `FitWarmStart`); empty (the
    /// default) for a cold fit. A warm start whose model or dimension does not match is ignored.
    public var warmStarts: [String: FitWarmStart] = [:]

    public init() {}
}

/// A fitted curve model: the posterior, its draws and their diagnostics.
public struct CurveFit: Sendable {
    public let posterior: CurvePosterior
    public let chains: [ChainResult]
    /// Summary of the constrained parameters (model, then noise).
    public let summary: PosteriorSummary
    /// All post-warmup draws on the unconstrained scale, chains concatenated.
    public let draws: [[Double]]

    /// Whether the diagnostics pass (R-hat, ESS, divergences): a fit that fails says so and
    /// downstream decisions must not trust it (DESIGN.md, "Sampler").
    public var diagnosticsPass: Bool { summary.warnings.isEmpty }

    public enum FitError: Error, CustomStringConvertible {
        case sampler(String)
        public var description: String {
            switch self { case .sampler(let m): return "sampling failed: \(m)" }
        }
    }

    /// Samples the posterior.
    public static func run(_ posterior: CurvePosterior, settings: FitSettings = FitSettings(),
                           progress: (@Sendable (ChainProgress) -> Void)? = nil) throws(FitError) -> CurveFit {
        var cfg = SamplerConfiguration()
        cfg.chains = settings.chains
        cfg.warmup = settings.warmup
        cfg.samples = settings.samples
        cfg.seed = settings.seed
        cfg.maxTreeDepth = settings.maxTreeDepth
        cfg.targetAcceptance = settings.targetAcceptance
        if settings.preconditioned, let warm = settings.warmStarts[posterior.model.name], warm.fits(posterior) {
            // The previous mode is near the new one (the curve grew by a few points), and the
            // prior median is a fallback should it have become a poor start.
            cfg.preconditioning = .laplace(optimizationStarts: 2)
            cfg.initialization = .points([warm.mode, posterior.priorMedianPoint])
            cfg.warmStart = warm.sampler
        } else if settings.preconditioned {
            cfg.preconditioning = .laplace(optimizationStarts: settings.optimizationStarts)
            cfg.initialization = .points([posterior.priorMedianPoint]
                                         + posterior.priorDraws(max(settings.optimizationStarts - 1, 0), seed: settings.seed))
        }
        let tape = posterior.tape
        let chains: [ChainResult]
        do {
            chains = try Sampler.run(configuration: cfg, progress: progress) { _ in TapeLogDensity(tape) }
        } catch {
            throw .sampler("\(error)")
        }
        var draws: [[Double]] = []
        for chain in chains {
            for i in 0..<chain.draws.rows { draws.append(chain.draws.row(i)) }
        }
        let summary = PosteriorSummary(chains: chains, names: posterior.parameterNames,
                                       maximumTreeDepth: settings.maxTreeDepth, report: posterior.constrain)
        return CurveFit(posterior: posterior, chains: chains, summary: summary, draws: draws)
    }
}

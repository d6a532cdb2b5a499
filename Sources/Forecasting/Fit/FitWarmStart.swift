import CurveModels
import Sampling

/// What a refit of the same model on a grown curve reuses from the previous fit: the posterior
/// mode (the optimizer's first start) and the sampler's adapted step size and metric.
///
/// A daemon refits a run every few new points; the posterior moves little between refits, so
/// the expensive parts of a cold fit (optimization from six starts, the step-size search, the
/// metric windows) can be skipped. With `FitSettings.warmStarts` set, `CurveFit.run`
/// optimizes from `mode` and the prior median only, and samples with the Laplace preconditioner
/// of the new mode and `sampler` (its step size re-tuned by dual averaging during the warmup
/// iterations; the metric, in the preconditioner's standardized coordinates, kept).
///
/// Codable so that a daemon can store it and resume warm after a restart.
public struct FitWarmStart: Sendable, Codable {
    /// The model the adaptation belongs to.
    public var model: String
    /// The posterior mode on the unconstrained scale.
    public var mode: [Double]
    /// The adapted step size and metric (standardized coordinates of the Laplace preconditioner).
    public var sampler: WarmStart

    /// Creates a warm start.
    public init(model: String, mode: [Double], sampler: WarmStart) {
        self.model = model
        self.mode = mode
        self.sampler = sampler
    }

    /// Whether it can start a fit of `posterior`: same model, same dimension, finite values.
    public func fits(_ posterior: CurvePosterior) -> Bool {
        model == posterior.model.name && mode.count == posterior.dimension
            && sampler.metric.dimension == posterior.dimension
            && mode.allSatisfy(\.isFinite) && sampler.stepSize.isFinite && sampler.stepSize > 0
    }
}

extension CurveFit {
    /// This fit's adaptation for a later warm start (chain 0's step size and metric, the
    /// Laplace mode); nil for a fit without Laplace preconditioning.
    public var warmStart: FitWarmStart? {
        guard let chain = chains.first, let preconditioner = chain.preconditioner else { return nil }
        return FitWarmStart(model: posterior.model.name, mode: preconditioner.mode, sampler: chain.warmStart)
    }
}

extension ForecastResult {
    /// The warm starts of the components, by model name (for `FitSettings.warmStarts`).
    public var warmStarts: [String: FitWarmStart] {
        var starts: [String: FitWarmStart] = [:]
        for component in components {
            if let warm = component.fit.warmStart { starts[warm.model] = warm }
        }
        return starts
    }
}

import LinearAlgebra

/// The output of one chain.
public struct ChainResult: Sendable {
    public let chain: Int
    /// Post-warmup draws on the unconstrained scale, `samples x dimension`.
    public let draws: Matrix
    /// Per-draw sampler statistics of the post-warmup draws.
    public let statistics: SamplerStatistics
    /// Warmup draws and statistics when `keepWarmup` was set.
    public let warmupDraws: Matrix?
    public let warmupStatistics: SamplerStatistics?
    /// The step size used for the draws (exp(x_bar) after adaptation).
    public let stepSize: Double
    /// The metric used for the draws.
    public let metric: Metric
    /// All gradient evaluations of the chain (initialization, warmup, step-size searches, draws).
    public let gradientEvaluations: Int
    /// Gradient evaluations spent on the post-warmup draws alone.
    public let samplingGradientEvaluations: Int
    /// Where the chain started.
    public let initialPoint: [Double]
    /// The Laplace preconditioner the chain ran under, if any: `stepSize` and `metric` refer to
    /// its standardized coordinates (`draws` and `initialPoint` do not: they are mapped back).
    public internal(set) var preconditioner: LaplacePreconditioner? = nil

    /// Number of divergent post-warmup transitions.
    public var divergences: Int { statistics.divergences }

    /// The adaptation, packaged for a later warm start.
    public var warmStart: WarmStart { WarmStart(stepSize: stepSize, metric: metric) }
}

/// Everything that controls a sampling run. Defaults are CmdStan's.
public struct SamplerConfiguration: Sendable {
    /// Number of chains (run in parallel on the available cores).
    public var chains: Int = 4
    /// Warmup iterations per chain (not returned unless `keepWarmup`).
    ///
    /// As in Stan, the metric is only adapted when warmup >= initBuffer + baseWindow + termBuffer
    /// (150 with the defaults): below that Stan rescales its buffers but never ends a window (see
    /// `WindowSchedule`), so only the step size adapts and the metric stays the unit metric.
    public var warmup: Int = 1000
    /// Post-warmup draws per chain.
    public var samples: Int = 1000
    /// Master seed; chain c uses stream c of it (`Xoshiro256StarStar(seed:stream:)`).
    public var seed: UInt64 = 0
    public var maxTreeDepth: Int = 10
    /// Divergence threshold on H - H0 (Stan `max_deltaH`).
    public var maxDeltaH: Double = 1000
    /// Diagonal (Stan's default) or dense metric adaptation.
    public var metric: Metric.Kind = .diagonal
    /// Nominal step size before the step-size search (Stan's `stepsize=1`); also sets mu.
    public var initialStepSize: Double = 1
    /// Dual-averaging target and constants.
    public var targetAcceptance: Double = StepSizeAdaptation.defaultDelta
    public var gamma: Double = StepSizeAdaptation.defaultGamma
    public var kappa: Double = StepSizeAdaptation.defaultKappa
    public var t0: Double = StepSizeAdaptation.defaultT0
    /// Window schedule buffers (Stan 75 / 25 / 50).
    public var initBuffer: Int = WindowSchedule.defaultInitBuffer
    public var baseWindow: Int = WindowSchedule.defaultBaseWindow
    public var termBuffer: Int = WindowSchedule.defaultTermBuffer
    /// How chains start.
    public var initialization: Initialization = .uniform(radius: Initialization.stanRadius)
    /// Continue from an earlier fit: start from its step size and metric (see `WarmStart`).
    public var warmStart: WarmStart?
    /// Return the warmup draws and statistics too.
    public var keepWarmup: Bool = false
    /// `.laplace`: find the posterior mode (L-BFGS from the points `initialization` gives, or 4
    /// uniform ones) and run NUTS on the standardized coordinates of the Laplace approximation
    /// there (see `LaplacePreconditioner`); chains start uniform(-2, 2) in those coordinates,
    /// i.e. within 2 approximate posterior sds of the mode. Draws are returned on the original
    /// unconstrained scale. `.none` (the default) is plain Stan.
    public var preconditioning: Preconditioning = .none
    /// The progress callback is invoked every this many iterations (and at the last one).
    public var progressInterval: Int = 100

    public init() {}
}

/// Whether the sampler first standardizes the posterior around its mode.
public enum Preconditioning: Sendable, Equatable {
    case none
    /// Laplace preconditioning from `optimizationStarts` random starts (when the
    /// initialization does not give points).
    case laplace(optimizationStarts: Int)

    public static let laplace = Preconditioning.laplace(optimizationStarts: 4)
}

/// Where chains start.
public enum Initialization: Sendable {
    /// Stan's default init radius.
    public static let stanRadius = 2.0
    /// Stan's MAX_INIT_TRIES.
    public static let maxAttempts = 100

    /// Each coordinate uniform on (-radius, radius) on the unconstrained scale, redrawn (up to
    /// 100 attempts) until log p and its gradient are finite.
    case uniform(radius: Double)
    /// Every chain starts at this point.
    case point([Double])
    /// Chain c starts at points[c % points.count] (e.g. draws of a previous fit).
    case points([[Double]])
}

/// A previous adaptation to reuse: the chains start with this step size and metric, skip the
/// step-size search and the metric windows, and spend `SamplerConfiguration.warmup` iterations
/// (possibly 0) only re-tuning the step size by dual averaging (mu = log(10 eps)) if
/// `adaptStepSize` is true.
public struct WarmStart: Sendable, Codable {
    public var stepSize: Double
    public var metric: Metric
    public var adaptStepSize: Bool

    public init(stepSize: Double, metric: Metric, adaptStepSize: Bool = true) {
        self.stepSize = stepSize
        self.metric = metric
        self.adaptStepSize = adaptStepSize
    }
}

/// Progress of one chain, reported through the optional callback.
public struct ChainProgress: Sendable, Equatable {
    public var chain: Int
    /// Iterations done (warmup + sampling).
    public var completed: Int
    public var total: Int
    public var isWarmup: Bool

    public init(chain: Int, completed: Int, total: Int, isWarmup: Bool) {
        self.chain = chain
        self.completed = completed
        self.total = total
        self.isWarmup = isWarmup
    }
}

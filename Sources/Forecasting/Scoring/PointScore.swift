/// The central interval levels of the back-test protocol (shared/data/README.md).
public enum CoverageLevels {
    /// 50%, 80% and 95% central intervals: a calibrated forecaster hits each at that rate.
    public static let protocolLevels: [Double] = [0.5, 0.8, 0.95]
}

/// One central interval of a predictive distribution at one scored point.
public struct IntervalScore: Sendable, Equatable, Codable {
    /// The nominal probability, e.g. 0.8.
    public var level: Double
    /// The (1 - level)/2 quantile.
    public var lower: Double
    /// The (1 + level)/2 quantile.
    public var upper: Double
    /// lower <= observed <= upper.
    public var hit: Bool

    public init(level: Double, lower: Double, upper: Double, hit: Bool) {
        self.level = level
        self.lower = lower
        self.upper = upper
        self.hit = hit
    }
}

/// The scores of a predictive distribution at one logged step past the cut.
///
/// JSON fields: `step`, `observed`, `median`, `intervals` (`level`, `lower`, `upper`, `hit`),
/// `crps`, `logDensity` (natural log of the predictive density at `observed`; may be
/// "-inf" in JSON, see `BacktestReport.jsonEncoder`).
public struct PointScore: Sendable, Equatable, Codable {
    public var step: Double
    public var observed: Double
    /// The predictive median.
    public var median: Double
    /// One entry per level, in the order requested (default `CoverageLevels.protocolLevels`).
    public var intervals: [IntervalScore]
    public var crps: Double
    public var logDensity: Double

    public init(step: Double, observed: Double, median: Double, intervals: [IntervalScore],
                crps: Double, logDensity: Double) {
        self.step = step
        self.observed = observed
        self.median = median
        self.intervals = intervals
        self.crps = crps
        self.logDensity = logDensity
    }

    /// Scores a sample predictive. The log density comes from the Gaussian mixture when the
    /// caller gives per-draw means and sds (the exact posterior predictive density), else from a
    /// kernel density estimate of the draws on `kernelScale`.
    public init(
        step: Double, observed y: Double, sample: PredictiveSample,
        mixtureMeans: [Double]? = nil, mixtureSDs: [Double]? = nil,
        kernelScale: PredictiveDensity.KernelScale = .linear,
        levels: [Double] = CoverageLevels.protocolLevels,
        crpsEstimator: CRPSEstimator = .fair
    ) {
        let logDensity: Double
        if let means = mixtureMeans, let sds = mixtureSDs {
            logDensity = PredictiveDensity.logPredictiveDensity(mixtureMeans: means, sds: sds, y: y)
        } else {
            logDensity = PredictiveDensity.kernelLogPredictiveDensity(draws: sample.sorted, y: y, scale: kernelScale)
        }
        self.init(
            step: step, observed: y, median: sample.median,
            intervals: levels.map { l in
                let r = sample.centralInterval(l)
                return IntervalScore(level: l, lower: r.lowerBound, upper: r.upperBound, hit: r.contains(y))
            },
            crps: sample.crps(y, estimator: crpsEstimator), logDensity: logDensity)
    }

    /// Scores a Gaussian predictive in closed form (CRPS, log density and quantiles).
    public init(step: Double, observed y: Double, gaussian g: GaussianPredictive,
                levels: [Double] = CoverageLevels.protocolLevels) {
        self.init(
            step: step, observed: y, median: g.mean,
            intervals: levels.map { l in
                let r = g.centralInterval(l)
                return IntervalScore(level: l, lower: r.lowerBound, upper: r.upperBound, hit: r.contains(y))
            },
            crps: g.crps(y), logDensity: g.logDensity(y))
    }

    /// Whether the interval of this level covers the observation; nil if it was not scored.
    public func hit(level: Double) -> Bool? { intervals.first { $0.level == level }?.hit }
}

/// Coverage of one level pooled over the curves of a horizon.
///
/// JSON fields: `level`, `hits`, `count` (over all scored points), `pooled` = hits / count,
/// `curveMean` (the unweighted mean of the per-curve fractions), `bootstrapLower` and
/// `bootstrapUpper` (the 5% and 95% quantiles of the pooled fraction when whole curves are
/// resampled with replacement: a 90% interval).
public struct PooledCoverage: Sendable, Equatable, Codable {
    public var level: Double
    public var hits: Int
    public var count: Int
    public var pooled: Double
    public var curveMean: Double
    public var bootstrapLower: Double
    public var bootstrapUpper: Double
}

/// The scores of one group of curves (e.g. "zsl") at one horizon.
///
/// JSON fields: `group`, `curveCount`, `pointCount`, `coverage`, `meanCRPS`, `meanLogDensity`
/// (both pooled over points), `medianFinalRelativeError` (over curves).
public struct GroupSummary: Sendable, Equatable, Codable {
    public var group: String
    public var curveCount: Int
    public var pointCount: Int
    public var coverage: [CoverageCount]
    public var meanCRPS: Double
    public var meanLogDensity: Double
    public var medianFinalRelativeError: Double
}

/// All curves scored at one horizon ratio.
///
/// Pooling is over points: every scored point of every curve counts once, so a curve with many
/// logged steps in (c, h c] weighs more (the protocol's "pooled over curves"). Because misses come
/// per curve (CALIBRATION_NOTES lesson 6), the report adds the per-curve mean, a bootstrap over
/// curves and per-group figures next to the pooled coverage.
///
/// JSON fields: `horizon`, `curveCount`, `pointCount`, `skippedCount`, `coverage`, `meanCRPS`,
/// `meanLogDensity` (pooled over points), `medianFinalRelativeError`, `meanFinalAbsoluteError`
/// (over curves), `groups`.
public struct HorizonSummary: Sendable, Equatable, Codable {
    public var horizon: Double
    public var curveCount: Int
    public var pointCount: Int
    public var skippedCount: Int
    public var coverage: [PooledCoverage]
    public var meanCRPS: Double
    public var meanLogDensity: Double
    public var medianFinalRelativeError: Double
    public var meanFinalAbsoluteError: Double
    public var groups: [GroupSummary]
}

extension HorizonSummary {
    /// Bootstrap replicates for the interval of pooled coverage: with 2000 the Monte Carlo error
    /// of a 5% / 95% quantile is about 0.005 in coverage, below the figures' printed precision.
    public static let defaultBootstrapReplicates = 2000
    /// Fixed seed so that a report is reproducible bit for bit.
    public static let defaultBootstrapSeed: UInt64 = 0x5C0_2E5

    /// Summarizes the curves of one horizon (all `curves` must have that horizon).
    public init(horizon: Double, curves: [CurveScore], skippedCount: Int,
                levels: [Double] = CoverageLevels.protocolLevels,
                bootstrapReplicates: Int = defaultBootstrapReplicates,
                bootstrapSeed: UInt64 = defaultBootstrapSeed) {
        self.horizon = horizon
        self.curveCount = curves.count
        self.skippedCount = skippedCount
        let points = curves.flatMap(\.points)
        pointCount = points.count
        let n = Double(points.count)
        meanCRPS = points.isEmpty ? .nan : points.reduce(0) { $0 + $1.crps } / n
        meanLogDensity = points.isEmpty ? .nan : points.reduce(0) { $0 + $1.logDensity } / n
        medianFinalRelativeError = Self.median(curves.map(\.finalRelativeError))
        meanFinalAbsoluteError = curves.isEmpty ? .nan
            : curves.reduce(0) { $0 + $1.finalAbsoluteError } / Double(curves.count)
        coverage = levels.map { level in
            let perCurve = curves.map { c in c.coverage.first { $0.level == level } ?? CoverageCount(level: level, hits: 0, count: 0) }
            let hits = perCurve.reduce(0) { $0 + $1.hits }
            let count = perCurve.reduce(0) { $0 + $1.count }
            let scored = perCurve.filter { $0.count > 0 }
            let curveMean = scored.isEmpty ? .nan : scored.reduce(0) { $0 + $1.fraction } / Double(scored.count)
            let band = Self.bootstrapPooled(perCurve, replicates: bootstrapReplicates, seed: bootstrapSeed)
            return PooledCoverage(level: level, hits: hits, count: count,
                                  pooled: count > 0 ? Double(hits) / Double(count) : .nan,
                                  curveMean: curveMean, bootstrapLower: band.lower, bootstrapUpper: band.upper)
        }
        let groupNames = Array(Set(curves.map(\.group))).sorted()
        groups = groupNames.map { name in
            let members = curves.filter { $0.group == name }
            let pts = members.flatMap(\.points)
            let m = Double(pts.count)
            return GroupSummary(
                group: name, curveCount: members.count, pointCount: pts.count,
                coverage: levels.map { CoverageCount(level: $0, points: pts) },
                meanCRPS: pts.reduce(0) { $0 + $1.crps } / m,
                meanLogDensity: pts.reduce(0) { $0 + $1.logDensity } / m,
                medianFinalRelativeError: Self.median(members.map(\.finalRelativeError)))
        }
    }

    /// The median (mean of the two middle values for an even count) of the non-NaN values (a
    /// relative error is NaN only for 0 / 0); NaN for none.
    static func median(_ values: [Double]) -> Double {
        let defined = values.filter { !$0.isNaN }
        guard !defined.isEmpty else { return .nan }
        return PredictiveSample(draws: defined).median
    }
}

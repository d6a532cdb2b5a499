/// Hits of one interval level over a set of scored points.
public struct CoverageCount: Sendable, Equatable, Codable {
    public var level: Double
    public var hits: Int
    public var count: Int
    /// hits / count (NaN when count = 0).
    public var fraction: Double { count > 0 ? Double(hits) / Double(count) : .nan }

    public init(level: Double, hits: Int, count: Int) {
        self.level = level
        self.hits = hits
        self.count = count
    }

    /// Counts the hits at `level` over `points` (points that did not score the level are skipped).
    public init(level: Double, points: [PointScore]) {
        var h = 0, n = 0
        for p in points { if let hit = p.hit(level: level) { n += 1; if hit { h += 1 } } }
        self.init(level: level, hits: h, count: n)
    }
}

/// The scores of one curve at one horizon ratio.
///
/// JSON fields: `curveID`, `group` (e.g. "gemstones/constant"), `horizon`, `cut`,
/// `fitPointCount`, `points`, `coverage` (`level`, `hits`, `count`), `meanCRPS`,
/// `meanLogDensity`, `finalStep`, `finalAbsoluteError` = |median - observed| and
/// `finalRelativeError` = that / |observed|, both at the last scored step.
public struct CurveScore: Sendable, Equatable, Codable {
    public var curveID: String
    public var group: String
    public var horizon: Double
    public var cut: Double
    public var fitPointCount: Int
    public var points: [PointScore]
    public var coverage: [CoverageCount]
    public var meanCRPS: Double
    public var meanLogDensity: Double
    public var finalStep: Double
    public var finalAbsoluteError: Double
    public var finalRelativeError: Double

    /// Summarizes the points (at least one; they are ordered by step).
    public init(curveID: String, group: String, horizon: Double, cut: Double, fitPointCount: Int,
                points: [PointScore], levels: [Double] = CoverageLevels.protocolLevels) {
        precondition(!points.isEmpty, "CurveScore: \(curveID) has no scored points")
        let ordered = points.sorted { $0.step < $1.step }
        self.curveID = curveID
        self.group = group
        self.horizon = horizon
        self.cut = cut
        self.fitPointCount = fitPointCount
        self.points = ordered
        coverage = levels.map { CoverageCount(level: $0, points: ordered) }
        let n = Double(ordered.count)
        meanCRPS = ordered.reduce(0) { $0 + $1.crps } / n
        meanLogDensity = ordered.reduce(0) { $0 + $1.logDensity } / n
        let last = ordered[ordered.count - 1]
        finalStep = last.step
        finalAbsoluteError = abs(last.median - last.observed)
        finalRelativeError = finalAbsoluteError / abs(last.observed)
    }
}

/// A curve the protocol skipped at a horizon, and why.
public struct SkippedCurve: Error, Sendable, Equatable, Codable {
    public var curveID: String
    public var group: String
    public var horizon: Double
    public var reason: String

    public init(curveID: String, group: String, horizon: Double, reason: String) {
        self.curveID = curveID
        self.group = group
        self.horizon = horizon
        self.reason = reason
    }
}

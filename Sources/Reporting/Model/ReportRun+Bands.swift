/// The central predictive intervals a fan chart shades, widest first (the drawing order, so the
/// narrower, darker bands are painted over the wider, lighter ones).
public struct ReportBand: Sendable, Equatable {
    /// The interval's coverage, e.g. 0.95.
    public var coverage: Double
    public var lowerLevel: Double
    public var upperLevel: Double

    public init(coverage: Double) {
        self.coverage = coverage
        // Rounded to 1e-9 so the levels equal the literals the forecast was asked for (0.025, 0.975).
        lowerLevel = ((1 - coverage) / 2 * 1e9).rounded() / 1e9
        upperLevel = ((1 + coverage) / 2 * 1e9).rounded() / 1e9
    }

    /// "95%".
    public var label: String { "\(Int((coverage * 100).rounded()))%" }

    /// 95%, 80%, 50% (DESIGN.md, "Reports").
    public static let standard = [ReportBand(coverage: 0.95), ReportBand(coverage: 0.8), ReportBand(coverage: 0.5)]

    /// The quantile levels a forecast needs for the standard bands and the median, increasing.
    public static let requiredLevels: [Double] = {
        (standard.flatMap { [$0.lowerLevel, $0.upperLevel] } + [0.5]).sorted()
    }()
}

extension ReportRun {
    /// The share of predictive `draws` (of the metric, at the horizon) that beat `target`:
    /// below it when minimizing, above it when maximizing. Nil without draws.
    public static func probability(draws: [Double], beating target: Double, direction: ReportDirection) -> Double? {
        guard !draws.isEmpty else { return nil }
        let beating = draws.filter { direction == .minimize ? $0 < target : $0 > target }.count
        return Double(beating) / Double(draws.count)
    }

    /// Whether `a` is a better forecast than `b` (the overview's order).
    static func isBetter(_ a: Double, than b: Double, direction: ReportDirection) -> Bool {
        direction == .minimize ? a < b : a > b
    }
}

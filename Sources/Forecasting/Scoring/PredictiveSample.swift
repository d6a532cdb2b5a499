/// A predictive distribution represented by draws, sorted once so that quantiles, central
/// intervals and the CRPS of any observed value are cheap.
///
/// Sorting costs O(m log m); afterwards a quantile is O(1) and the CRPS of one observation is
/// O(log m) (a binary search into prefix sums), so one sample can score many observations.
public struct PredictiveSample: Sendable, Equatable {
    /// The draws in ascending order.
    public let sorted: [Double]
    /// prefix[k] = x_(1) + ... + x_(k), with prefix[0] = 0 (m + 1 entries).
    let prefix: [Double]
    /// sum_{i,j} |x_i - x_j| over all ordered pairs, from the sorted-order identity below.
    let pairSum: Double

    /// Sorts the draws; NaN draws are a caller bug and trap.
    public init(draws: [Double]) {
        precondition(!draws.isEmpty, "PredictiveSample: no draws")
        precondition(!draws.contains { $0.isNaN }, "PredictiveSample: a draw is NaN")
        sorted = draws.sorted()
        let m = sorted.count
        var p = [Double](repeating: 0, count: m + 1)
        for i in 0..<m { p[i + 1] = p[i] + sorted[i] }
        prefix = p
        // For sorted x_(1..m), x_(i) is the larger element of (i - 1) pairs and the smaller of
        // (m - i), so sum_{i,j} |x_i - x_j| = 2 sum_i (2i - m - 1) x_(i)  (1-based i).
        var s = 0.0
        for i in 0..<m { s += Double(2 * (i + 1) - m - 1) * sorted[i] }
        pairSum = 2 * s
    }

    /// The number of draws m.
    public var count: Int { sorted.count }

    /// The sample quantile of type 7 (Hyndman & Fan 1996; the default of R and NumPy):
    ///
    /// ```
    /// h = (m - 1) p,  Q(p) = x_(floor h + 1) + (h - floor h) (x_(floor h + 2) - x_(floor h + 1))
    /// ```
    ///
    /// with 1-based order statistics; Q(0) is the minimum and Q(1) the maximum.
    public func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "PredictiveSample: quantile level \(p) is outside [0, 1]")
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        let f = h - Double(lo)
        // x_lo + f (x_hi - x_lo) is exact at f = 0 and equals x_hi at f = 1 up to one rounding.
        return sorted[lo] + f * (sorted[hi] - sorted[lo])
    }

    /// The median, Q(1/2).
    public var median: Double { quantile(0.5) }

    /// The central interval of probability `level`: [Q((1 - level)/2), Q((1 + level)/2)].
    public func centralInterval(_ level: Double) -> ClosedRange<Double> {
        precondition(level > 0 && level < 1, "PredictiveSample: interval level \(level) is outside (0, 1)")
        return quantile((1 - level) / 2)...quantile((1 + level) / 2)
    }
}

/// How E|X - X'| is estimated from m draws in the sample CRPS.
public enum CRPSEstimator: String, Sendable, Codable, CaseIterable {
    /// The plug-in (energy) form: the CRPS of the empirical distribution of the draws,
    /// E|X - X'| = 1/m^2 sum_{i,j} |x_i - x_j|. Biased upward by a term of order 1/m.
    case standard
    /// The "fair" form (Ferro 2014; Zamo & Naveau 2018): E|X - X'| = 1/(m (m - 1)) sum_{i != j},
    /// the unbiased estimate of the CRPS of the distribution the draws come from.
    case fair
}

extension PredictiveSample {
    /// The continuous ranked probability score of the observation `y` (lower is better), in the
    /// energy form of Gneiting & Raftery (2007, "Strictly proper scoring rules, prediction and
    /// estimation", eq. 21):
    ///
    /// ```
    /// CRPS(F, y) = E|X - y| - 1/2 E|X - X'|,      X, X' ~ F independent
    /// E|X - X'|  = 2/m^2       sum_i (2i - m - 1) x_(i)   (standard)
    ///            = 2/(m(m-1))  sum_i (2i - m - 1) x_(i)   (fair)
    /// ```
    ///
    /// for sorted draws x_(1) <= ... <= x_(m). The pair term is computed once in `init`.
    /// E|X - y| uses the prefix sums: with k = #{x_(i) <= y} and S_k = x_(1) + ... + x_(k),
    ///
    /// ```
    /// m E|X - y| = (k y - S_k) + ((S_m - S_k) - (m - k) y)
    /// ```
    ///
    /// Both brackets are sums of non-negative terms, so no cancellation beyond that of the
    /// prefix sums themselves (relative error ~ m eps of the largest |x|, ample for scores).
    /// A single draw has no pair term in the fair form (0/0); it is taken as 0.
    public func crps(_ y: Double, estimator: CRPSEstimator = .fair) -> Double {
        let m = sorted.count
        let k = upperBound(y)
        let below = Double(k) * y - prefix[k]
        let above = (prefix[m] - prefix[k]) - Double(m - k) * y
        let meanAbs = max(0, below) / Double(m) + max(0, above) / Double(m)
        let spread: Double
        switch estimator {
        case .standard: spread = pairSum / Double(m * m)
        case .fair: spread = m > 1 ? pairSum / Double(m * (m - 1)) : 0
        }
        return meanAbs - 0.5 * spread
    }

    /// The number of draws <= y (binary search in the sorted draws).
    func upperBound(_ y: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= y { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

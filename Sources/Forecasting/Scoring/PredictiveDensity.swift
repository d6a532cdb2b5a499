import Foundation

/// The log predictive density of an observation, from a Gaussian mixture or from draws.
public enum PredictiveDensity {
    /// log p(y) for the equally weighted Gaussian mixture (1/m) sum_i N(y | mu_i, s_i^2), the
    /// posterior predictive when each posterior draw i carries its own mean and noise sd.
    ///
    /// ```
    /// log p(y) = logsumexp_i l_i - log m,   l_i = -log s_i - log(2 pi)/2 - (y - mu_i)^2 / (2 s_i^2)
    /// logsumexp_i l_i = l_max + log sum_i exp(l_i - l_max)
    /// ```
    ///
    /// Stability: each l_i can be far below the smallest normal double's log (-708): a 3% forecast
    /// error against a 0.1% noise sd already gives l_i ~ -450, and misses by tens of sds are common
    /// on biased extrapolations. exp(l_i) would underflow to 0 and log 0 = -inf. Shifting by l_max
    /// makes the largest term exactly 1, so the sum lies in [1, m] and its log is exact to a few
    /// ulps; the result is finite whenever one l_i is finite.
    public static func logPredictiveDensity(mixtureMeans: [Double], sds: [Double], y: Double) -> Double {
        precondition(!mixtureMeans.isEmpty, "logPredictiveDensity: no mixture components")
        precondition(mixtureMeans.count == sds.count,
                     "logPredictiveDensity: \(mixtureMeans.count) means but \(sds.count) sds")
        var terms = [Double](repeating: 0, count: mixtureMeans.count)
        for i in terms.indices {
            precondition(sds[i] > 0, "logPredictiveDensity: sd \(sds[i]) of component \(i) is not positive")
            let z = (y - mixtureMeans[i]) / sds[i]
            terms[i] = -log(sds[i]) - GaussianPredictive.halfLog2Pi - 0.5 * z * z
        }
        return logSumExp(terms) - log(Double(terms.count))
    }

    /// log sum_i exp(a_i), shifted by the maximum (see above). -inf for an all -inf input.
    static func logSumExp(_ a: [Double]) -> Double {
        let top = a.max() ?? -.infinity
        guard top.isFinite else { return top }
        var s = 0.0
        for x in a { s += exp(x - top) }
        return top + log(s)
    }

    /// The scale on which a kernel density estimate is built.
    public enum KernelScale: String, Sendable, Codable {
        /// On the values themselves.
        case linear
        /// On log values, mapped back with the Jacobian: p(y) = p_log(log y) / y. Suits losses,
        /// which are positive and whose predictive is skewed to the right. Needs y > 0 and draws > 0.
        case log
    }

    /// log p(y) from a Gaussian kernel density estimate of the draws, the fallback when the
    /// caller has only draws (no per-draw means and sds).
    ///
    /// Bandwidth by Silverman's rule of thumb (Silverman 1986, "Density Estimation", eq. 3.31):
    ///
    /// ```
    /// h = 0.9 min(sd, IQR / 1.34) m^(-1/5)
    /// ```
    ///
    /// If the draws have no spread on that measure (IQR = 0, e.g. a discrete sample), the sd is
    /// used alone; if they have none at all, h falls back to `degenerateBandwidthFraction` times
    /// max(1, |median|) so that the score is finite and very low away from the point mass.
    /// Note the estimate is the density of the draws convolved with N(0, h^2): it is slightly too
    /// wide, which flatters narrow (over-confident) forecasts less than it penalizes them.
    public static func kernelLogPredictiveDensity(
        draws: [Double], y: Double, scale: KernelScale = .linear
    ) -> Double {
        precondition(!draws.isEmpty, "kernelLogPredictiveDensity: no draws")
        switch scale {
        case .linear:
            return kernelLogDensity(draws, at: y)
        case .log:
            precondition(draws.allSatisfy { $0 > 0 }, "kernelLogPredictiveDensity: a draw is not positive on the log scale")
            guard y > 0 else { return -.infinity }
            let ly = log(y)
            return kernelLogDensity(draws.map { log($0) }, at: ly) - ly
        }
    }

    /// Relative bandwidth used when all draws are equal (see above).
    public static let degenerateBandwidthFraction = 1e-8

    /// Silverman's bandwidth for these draws.
    public static func silvermanBandwidth(_ draws: [Double]) -> Double {
        let sample = PredictiveSample(draws: draws)
        let m = Double(draws.count)
        let mean = sample.prefix[draws.count] / m
        var ss = 0.0
        for x in draws { ss += (x - mean) * (x - mean) }
        let sd = draws.count > 1 ? (ss / (m - 1)).squareRoot() : 0
        let iqr = sample.quantile(0.75) - sample.quantile(0.25)
        let spread = iqr > 0 ? min(sd, iqr / 1.34) : sd
        if spread > 0 { return 0.9 * spread * pow(m, -0.2) }
        return degenerateBandwidthFraction * max(1, abs(sample.median))
    }

    static func kernelLogDensity(_ draws: [Double], at y: Double) -> Double {
        let h = silvermanBandwidth(draws)
        return logPredictiveDensity(
            mixtureMeans: draws, sds: [Double](repeating: h, count: draws.count), y: y)
    }
}

/// Convergence diagnostics for MCMC draws of one scalar quantity.
///
/// Every function takes the draws of one parameter as `[[Double]]`, chains x draws, all chains of
/// the same length. The definitions follow Vehtari, Gelman, Simpson, Carpenter and Bürkner
/// (2021), "Rank-normalization, folding, and localization: An improved R-hat for assessing
/// convergence of MCMC", Bayesian Analysis 16(2), 667-718, as implemented in Stan
/// (`src/stan/analyze/mcmc`) and the R package posterior; the ESS truncation is Geyer's (1992)
/// initial monotone sequence. They reproduce posterior's values for Stan's `bern1-4.csv` test
/// files to 1e-4.
///
/// NaN rules (Stan's `is_finite_and_varies` and row check): R-hat, ESS and MCSE are NaN when
/// any draw is non-finite, when all draws are equal, or when fewer than 4 draws per chain remain
/// after splitting each chain in two.
public enum MCMCDiagnostics {
    /// Splits each chain into its first and last `floor(n/2)` draws (the middle draw of an odd
    /// chain is dropped), giving 2m chains of `floor(n/2)` draws.
    ///
    /// Splitting lets R-hat see a trend within a chain as disagreement between its halves
    /// (Gelman et al., Bayesian Data Analysis 3rd ed., section 11.4).
    public static func splitChains(_ draws: [[Double]]) -> [[Double]] {
        precondition(Set(draws.map(\.count)).count <= 1, "all chains must have the same number of draws")
        var halves: [[Double]] = []
        halves.reserveCapacity(2 * draws.count)
        for chain in draws {
            let half = chain.count / 2
            halves.append(Array(chain[0..<half]))
            halves.append(Array(chain[(chain.count - half)...]))
        }
        return halves
    }

    /// The sample quantile of R's type 7 (numpy's default "linear"): with the values sorted,
    /// `h = (N - 1) p` and linear interpolation between the order statistics at floor(h) and
    /// floor(h) + 1 (0-based). Hyndman and Fan (1996), "Sample quantiles in statistical
    /// packages", The American Statistician 50(4).
    ///
    /// NaN for an empty input, a NaN value, or p outside [0, 1].
    public static func quantile(_ values: [Double], probability p: Double) -> Double {
        quantiles(values, probabilities: [p])[0]
    }

    /// Several type-7 quantiles of the same values, sorting once.
    public static func quantiles(_ values: [Double], probabilities: [Double]) -> [Double] {
        guard !values.isEmpty, !values.contains(where: \.isNaN) else {
            return probabilities.map { _ in .nan }
        }
        let sorted = values.sorted()
        return probabilities.map { quantile(sorted: sorted, probability: $0) }
    }

    static func quantile(sorted: [Double], probability p: Double) -> Double {
        guard p >= 0, p <= 1, !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        guard lo + 1 < sorted.count else { return sorted[sorted.count - 1] }
        let fraction = h - Double(lo)
        // Written as x_lo + f (x_hi - x_lo), R's form: exact when x_lo == x_hi.
        return sorted[lo] + fraction * (sorted[lo + 1] - sorted[lo])
    }

    /// The fewest draws per split chain for which R-hat and ESS are defined (Stan, posterior).
    static let minimumDrawsPerSplitChain = 4

    /// The chains split in two, or nil if Stan's NaN rules apply: a non-finite draw, all draws
    /// equal, or fewer than 4 draws per split chain.
    static func validatedSplit(_ draws: [[Double]]) -> [[Double]]? {
        let split = splitChains(draws)
        guard let first = split.first?.first,
              split[0].count >= minimumDrawsPerSplitChain,
              allFiniteAndVarying(split, reference: first)
        else { return nil }
        return split
    }

    private static func allFiniteAndVarying(_ chains: [[Double]], reference: Double) -> Bool {
        var varies = false
        for chain in chains {
            for x in chain {
                if !x.isFinite { return false }
                if x != reference { varies = true }
            }
        }
        return varies
    }

    /// Mean and sample standard deviation (n - 1 denominator) of all values.
    static func meanAndStandardDeviation(_ values: [Double]) -> (mean: Double, sd: Double) {
        let n = Double(values.count)
        guard values.count > 1 else { return (values.first ?? .nan, .nan) }
        let mean = values.reduce(0, +) / n
        // Two-pass: the squared deviations from the computed mean avoid the cancellation of
        // E[x^2] - E[x]^2 when |mean| >> sd.
        let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (ss / (n - 1)).squareRoot())
    }
}

import Foundation

extension MCMCDiagnostics {
    /// Bulk effective sample size: the ESS of the rank-normalized split chains (Vehtari et al.
    /// 2021, section 4.1). It measures how well the centre of the distribution is estimated,
    /// and, unlike the classic ESS, is defined for heavy tails (no finite variance needed).
    /// NaN under the rules in `MCMCDiagnostics`.
    public static func essBulk(_ draws: [[Double]]) -> Double {
        guard let split = validatedSplit(draws) else { return .nan }
        return essBulk(split: split)
    }

    /// Tail effective sample size: the smaller ESS of the 5% and 95% quantile indicators
    /// (Vehtari et al. 2021, section 4.3), as in Stan:
    /// ```
    /// ess_tail = min(ESS(1[x <= q05]), ESS(1[x >= q95]))
    /// ```
    /// with q05, q95 the type-7 quantiles of all split draws. It measures how well the 90%
    /// central interval is estimated.
    public static func essTail(_ draws: [[Double]]) -> Double {
        guard let split = validatedSplit(draws) else { return .nan }
        return essTail(split: split)
    }

    /// Basic effective sample size: the ESS of the raw split chains, no rank transform (posterior's
    /// `ess_basic`, the same as its `ess_mean`). It is the ESS that governs the Monte Carlo error
    /// of the posterior mean, and assumes a finite variance.
    public static func essBasic(_ draws: [[Double]]) -> Double {
        guard let split = validatedSplit(draws) else { return .nan }
        return effectiveSampleSize(split)
    }

    /// Monte Carlo standard error of the posterior mean, as posterior's `mcse_mean`:
    /// ```
    /// MCSE(mean) = sd(x) / sqrt(ess_basic(x))
    /// ```
    /// with sd over all draws (n - 1 denominator).
    public static func mcseMean(_ draws: [[Double]]) -> Double {
        let ess = essBasic(draws)
        guard ess.isFinite else { return .nan }
        return meanAndStandardDeviation(draws.flatMap { $0 }).sd / ess.squareRoot()
    }

    /// Monte Carlo standard error of the posterior standard deviation, as posterior's `mcse_sd`
    /// (version >= 1.5): the variance of the variance estimate from moments, without assuming
    /// normality (Kenney and Keeping 1951, "Mathematics of Statistics" part 2, p. 141), with the
    /// ESS of the squared centred draws, then the first-order delta method for the square root.
    /// With c = x - mean(x) over all S draws, m2 = mean(c^2), m4 = mean(c^4):
    /// ```
    /// Var(s^2) ~ (m4 - m2^2) / ess_basic(c^2)
    /// MCSE(sd) = sqrt(Var(s^2) / (4 m2))
    /// ```
    public static func mcseSD(_ draws: [[Double]]) -> Double {
        let all = draws.flatMap { $0 }
        guard !all.isEmpty else { return .nan }
        let mean = all.reduce(0, +) / Double(all.count)
        let squared = draws.map { $0.map { ($0 - mean) * ($0 - mean) } }
        let ess = essBasic(squared)
        guard ess.isFinite else { return .nan }
        let m2 = squared.joined().reduce(0, +) / Double(all.count)
        let m4 = squared.joined().reduce(0) { $0 + $1 * $1 } / Double(all.count)
        return ((m4 - m2 * m2) / ess / m2 / 4).squareRoot()
    }

    static func essBulk(split: [[Double]]) -> Double {
        effectiveSampleSize(rankNormalized(split))
    }

    static func essTail(split: [[Double]]) -> Double {
        let q = quantiles(split.flatMap { $0 }, probabilities: [0.05, 0.95])
        let lower = effectiveSampleSize(split.map { $0.map { $0 <= q[0] ? 1 : 0 } })
        let upper = effectiveSampleSize(split.map { $0.map { $0 >= q[1] ? 1 : 0 } })
        guard !lower.isNaN, !upper.isNaN else { return .nan }
        return min(lower, upper)
    }

    /// The multi-chain effective sample size S / tau of Vehtari et al. (2021), eq. 10-13, as
    /// Stan's `ess`, on chains used as given (already split and transformed).
    ///
    /// Per chain j the biased autocovariance acov_j(t) (FFT); then
    /// ```
    /// W     = mean_j acov_j(0) n/(n-1)                     within-chain variance
    /// var+  = W (n-1)/n + var_j(chain means)             (the between term only for m > 1)
    /// rho_t = 1 - (W - mean_j acov_j(t)) / var+
    /// ```
    /// The sum of rho_t is truncated by Geyer's (1992) initial monotone sequence: pairs
    /// P_k = rho_{2k} + rho_{2k+1} are taken while positive (a pair with a negative sum is not
    /// stored, which leaves zeros there) and each pair is capped at the previous one. Then
    /// ```
    /// tau = -1 + 2 sum_{t < T} rho_t + rho_{T+1}[if the last even rho > 0]
    /// ESS = S / max(tau, 1 / log10(S))
    /// ```
    /// The last term improves the antithetic case (Vehtari et al. 2021, p. 8); the floor on tau
    /// caps ESS at S log10(S). NaN if the pooled variance var+ is zero (e.g. a constant indicator).
    static func effectiveSampleSize(_ chains: [[Double]]) -> Double {
        let m = chains.count
        let n = chains.first?.count ?? 0
        guard m > 0, n >= minimumDrawsPerSplitChain else { return .nan }
        var meanAutocovariance = [Double](repeating: 0, count: n)
        var chainMeans = [Double](repeating: 0, count: m)
        for (j, chain) in chains.enumerated() {
            chainMeans[j] = chain.reduce(0, +) / Double(n)
            let acov = autocovariance(chain)
            for t in 0..<n { meanAutocovariance[t] += acov[t] / Double(m) }
        }
        let within = meanAutocovariance[0] * Double(n) / Double(n - 1)
        var varPlus = within * Double(n - 1) / Double(n)
        if m > 1 {
            varPlus += meanAndStandardDeviation(chainMeans).sd.squared
        }
        guard varPlus > 0, varPlus.isFinite else { return .nan }

        func rho(_ t: Int) -> Double { 1 - (within - meanAutocovariance[t]) / varPlus }

        var rhoHat = [Double](repeating: 0, count: n)
        var rhoEven = 1.0
        var rhoOdd = rho(1)
        rhoHat[0] = rhoEven
        rhoHat[1] = rhoOdd
        var t = 1
        while t < n - 4 && rhoEven + rhoOdd > 0 {
            rhoEven = rho(t + 1)
            rhoOdd = rho(t + 2)
            if rhoEven + rhoOdd >= 0 {
                rhoHat[t + 1] = rhoEven
                rhoHat[t + 2] = rhoOdd
            }
            // Initial monotone sequence: a pair may not exceed the pair before it.
            if rhoHat[t + 1] + rhoHat[t + 2] > rhoHat[t - 1] + rhoHat[t] {
                rhoHat[t + 1] = (rhoHat[t - 1] + rhoHat[t]) / 2
                rhoHat[t + 2] = rhoHat[t + 1]
            }
            t += 2
        }
        let maxLag = t
        if rhoEven > 0 { rhoHat[maxLag + 1] = rhoEven }
        let total = Double(m * n)
        let tau = -1 + 2 * rhoHat[0..<maxLag].reduce(0, +) + rhoHat[maxLag + 1]
        return total / max(tau, 1 / log10(total))
    }
}

private extension Double {
    var squared: Double { self * self }
}

import Foundation
import Testing
import TestSupport
@testable import Sampling

/// The four CmdStan chains of Stan's own diagnostics unit test (shared data, 4 x 1000 draws).
private func bernoulliDraws(_ column: String) throws -> [[Double]] {
    try (1...4).map { i in
        let csv = try StanCSV(contentsOf: RepositoryPaths.sharedFile("stan-diagnostics/bern\(i).csv"))
        return try #require(csv.column(column))
    }
}

@Suite("MCMC diagnostics")
struct DiagnosticsTests {
    // MARK: Reference values (Stan / posterior)

    /// Reference values from the data README (Stan 2.35 unit tests, computed by the R package
    /// posterior); 1e-4 absolute is the precision they are quoted to.
    @Test("bern1-4.csv: bulk/tail ESS and R-hat match Stan and posterior",
          arguments: [
              ("lp__", 1512.7684, 1591.9707, 1.00073),
              ("theta", 1407.5124, 1291.7131, 1.006789),
          ])
    func stanReference(column: String, essBulk: Double, essTail: Double, rhat: Double) throws {
        let draws = try bernoulliDraws(column)
        #expect(draws.count == 4 && draws.allSatisfy { $0.count == 1000 })
        #expect(abs(MCMCDiagnostics.essBulk(draws) - essBulk) < 1e-4)
        #expect(abs(MCMCDiagnostics.essTail(draws) - essTail) < 1e-4)
        // R-hat is quoted to 5-6 significant digits; 1e-5 is the rounding of the shorter one.
        #expect(abs(MCMCDiagnostics.rhat(draws) - rhat) < 1e-5)
        let summary = ParameterSummary(name: column, draws: draws)
        #expect(abs(summary.essBulk - essBulk) < 1e-4)
        #expect(abs(summary.essTail - essTail) < 1e-4)
        #expect(abs(summary.rhat - rhat) < 1e-5)
    }

    // MARK: Autocovariance

    @Test("FFT autocovariance equals the direct O(n^2) sum", arguments: [1, 2, 3, 4, 17, 64, 500, 1023, 1024, 1025])
    func fftMatchesDirect(n: Int) {
        var random = DiagnosticsTestRandom(seed: 0xACF0 + UInt64(n))
        // An offset and an AR(1) structure so the lags are not all near zero.
        var x = 0.0
        let series = (0..<n).map { _ -> Double in
            x = 0.7 * x + random.normal()
            return 3 + x
        }
        let fast = MCMCDiagnostics.autocovariance(series)
        let slow = MCMCDiagnostics.directAutocovariance(series)
        #expect(fast.count == n)
        // Error of both is a few ulp of sum c_i^2 / n = acov[0] (about 2 here); 1e-12 absolute
        // is ~1e4 ulp of headroom yet catches any indexing or padding error (those are O(1)).
        let worst = zip(fast, slow).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-12, "max |fft - direct| = \(worst)")
    }

    @Test("radix-2 FFT of a unit impulse is flat and the inverse restores the input")
    func fftRoundTrip() {
        let fft = RadixTwoFFT(size: 16)
        var re = [Double](repeating: 0, count: 16)
        var im = re
        re[0] = 1
        fft.transform(re: &re, im: &im, inverse: false)
        #expect(re.allSatisfy { abs($0 - 1) < 1e-15 } && im.allSatisfy { abs($0) < 1e-15 })
        var random = DiagnosticsTestRandom(seed: 7)
        let original = (0..<16).map { _ in random.normal() }
        re = original
        im = [Double](repeating: 0, count: 16)
        fft.transform(re: &re, im: &im, inverse: false)
        fft.transform(re: &re, im: &im, inverse: true)
        #expect(zip(re, original).allSatisfy { abs($0 / 16 - $1) < 1e-14 })
    }

    // MARK: ESS on processes with known answers

    /// For iid draws tau = 1, so ESS = S. Over 30 seeds at S = 20,000 the relative sd of ESS/S was
    /// 2.2% (bulk) and 1.9% (tail), of the MCSEs 1.5% (mean) and 1.7% (sd); 10% is > 4 sigma, while
    /// a wrong normalisation (n vs n - 1, a missing factor 2 in tau) is off by far more.
    @Test("iid normal draws: ESS close to the number of draws, R-hat close to 1")
    func iidNormal() {
        var random = DiagnosticsTestRandom(seed: 42)
        let draws = random.normalChains(chains: 4, draws: 5000)
        let s = 20_000.0
        for ess in [MCMCDiagnostics.essBulk(draws), MCMCDiagnostics.essTail(draws), MCMCDiagnostics.essBasic(draws)] {
            #expect(abs(ess / s - 1) < 0.1, "ESS \(ess) for S = \(s)")
        }
        #expect(MCMCDiagnostics.rhat(draws) < 1.01)
        #expect(MCMCDiagnostics.rhatBulk(draws) >= 0.99)
        // MCSE of the mean of iid N(0,1): 1/sqrt(S); of the sd: sigma / sqrt(2 S) for a normal.
        #expect(abs(MCMCDiagnostics.mcseMean(draws) * s.squareRoot() - 1) < 0.1)
        #expect(abs(MCMCDiagnostics.mcseSD(draws) * (2 * s).squareRoot() - 1) < 0.1)
    }

    /// A stationary AR(1) has rho_t = phi^t, so tau = 1 + 2 sum phi^t = (1 + phi)/(1 - phi) and
    /// ESS/S = (1 - phi)/(1 + phi) (1/3 at phi = 0.5, 1/19 at phi = 0.9). Over 30 seeds at
    /// S = 40,000 the relative sd of ESS/S was 2.2% at phi = 0.5 and 5.6% at phi = 0.9 (more lags
    /// before truncation, each noisier); the tolerances 10% and 20% are > 3.5 sigma.
    @Test("AR(1): ESS / S close to (1 - phi)/(1 + phi)", arguments: [(0.5, 0.1), (0.9, 0.2)])
    func ar1(phi: Double, tolerance: Double) {
        var random = DiagnosticsTestRandom(seed: 2024)
        let draws = random.ar1Chains(chains: 4, draws: 10_000, phi: phi)
        let expected = (1 - phi) / (1 + phi)
        for ess in [MCMCDiagnostics.essBasic(draws), MCMCDiagnostics.essBulk(draws)] {
            let ratio = ess / 40_000
            #expect(abs(ratio / expected - 1) < tolerance, "ESS/S = \(ratio), expected \(expected)")
        }
    }

    /// An antithetic AR(1) (phi < 0) has ESS > S; the estimator caps it at S log10 S.
    @Test("antithetic chains: ESS above S, capped at S log10 S")
    func antithetic() {
        var random = DiagnosticsTestRandom(seed: 99)
        let draws = random.ar1Chains(chains: 4, draws: 1000, phi: -0.6)
        let ess = MCMCDiagnostics.essBasic(draws)
        #expect(ess > 4000 && ess <= 4000 * log10(4000.0) + 1e-9)
    }

    /// With 4 draws per split chain Geyer's loop never runs, and the antithetic correction adds
    /// rho_even = rho_0 = 1, so tau = -1 + 2 rho_0 + 1 = 2 whatever the draws: Stan and posterior
    /// both give ESS = S / 2 here. This pins the correction term, which the bern files never reach.
    @Test("4 draws per split chain: ESS = S/2, as in Stan and posterior")
    func shortestChains() {
        var random = DiagnosticsTestRandom(seed: 21)
        let draws = random.normalChains(chains: 3, draws: 9)  // 6 split chains of 4, S = 24
        #expect(abs(MCMCDiagnostics.essBasic(draws) - 12) < 1e-12)
        #expect(abs(MCMCDiagnostics.essBulk(draws) - 12) < 1e-12)
    }

    // MARK: R-hat

    @Test("chains with shifted means: bulk R-hat > 1.1")
    func shiftedMeans() {
        var random = DiagnosticsTestRandom(seed: 5)
        let draws = random.normalChains(chains: 4, draws: 1000, mean: { Double($0) })
        #expect(MCMCDiagnostics.rhatBulk(draws) > 1.1)
        #expect(MCMCDiagnostics.rhat(draws) > 1.1)
    }

    @Test("chains with equal means but different scales: only the tail R-hat sees it")
    func differentScales() {
        var random = DiagnosticsTestRandom(seed: 6)
        let draws = random.normalChains(chains: 4, draws: 1000, scale: { $0 == 0 ? 4 : 1 })
        #expect(MCMCDiagnostics.rhatBulk(draws) < 1.05)
        #expect(MCMCDiagnostics.rhatTail(draws) > 1.1)
        #expect(MCMCDiagnostics.rhat(draws) == MCMCDiagnostics.rhatTail(draws))
    }

    @Test("a trend within each chain is caught by splitting")
    func trendWithinChains() {
        var random = DiagnosticsTestRandom(seed: 8)
        let draws = (0..<4).map { _ in (0..<1000).map { Double($0) / 250 + random.normal() } }
        #expect(MCMCDiagnostics.rhat(draws) > 1.1)
    }

    // MARK: NaN rules

    @Test("NaN for a non-finite draw, constant draws, or < 4 draws per half-chain")
    func nanRules() {
        var random = DiagnosticsTestRandom(seed: 3)
        let good = random.normalChains(chains: 2, draws: 8)
        #expect(MCMCDiagnostics.rhat(good).isFinite && MCMCDiagnostics.essBulk(good).isFinite)

        var withNaN = good
        withNaN[1][3] = .nan
        var withInf = good
        withInf[0][0] = .infinity
        let constant = [[Double]](repeating: [Double](repeating: 2.5, count: 100), count: 4)
        let tooShort = random.normalChains(chains: 4, draws: 7)  // splits into 3 draws
        let empty: [[Double]] = []
        for draws in [withNaN, withInf, constant, tooShort, empty] {
            #expect(MCMCDiagnostics.rhat(draws).isNaN)
            #expect(MCMCDiagnostics.rhatBulk(draws).isNaN)
            #expect(MCMCDiagnostics.rhatTail(draws).isNaN)
            #expect(MCMCDiagnostics.essBulk(draws).isNaN)
            #expect(MCMCDiagnostics.essTail(draws).isNaN)
            #expect(MCMCDiagnostics.essBasic(draws).isNaN)
            #expect(MCMCDiagnostics.mcseMean(draws).isNaN)
            #expect(MCMCDiagnostics.mcseSD(draws).isNaN)
        }
    }

    // MARK: Building blocks

    @Test("split drops the middle draw of odd chains")
    func split() {
        let split = MCMCDiagnostics.splitChains([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])
        #expect(split == [[1, 2], [4, 5], [6, 7], [9, 10]])
    }

    @Test("rank normalization averages tied ranks")
    func ranks() {
        // Ranks 1, 2.5, 2.5, 4 of S = 4: z = Phi^-1((r - 3/8) / 4.25).
        let z = MCMCDiagnostics.rankNormalized([[3, 1], [2, 2]])
        let expected: (Double) -> Double = { MCMCDiagnostics.inverseNormalCDF(($0 - 0.375) / 4.25) }
        #expect(z[0][0] == expected(4) && z[0][1] == expected(1))
        #expect(z[1][0] == expected(2.5) && z[1][1] == expected(2.5))
    }

    @Test("type-7 quantiles (R / numpy defaults)")
    func quantiles() {
        let q = MCMCDiagnostics.quantiles([4, 1, 3, 2], probabilities: [0, 0.05, 0.5, 0.95, 1])
        let expected = [1, 1.15, 2.5, 3.85, 4]
        #expect(zip(q, expected).allSatisfy { abs($0 - $1) < 1e-14 }, "\(q)")
        #expect(MCMCDiagnostics.quantile([7], probability: 0.3) == 7)
        #expect(MCMCDiagnostics.quantile([], probability: 0.5).isNaN)
    }

    // MARK: Normal quantile

    /// Reference values of qnorm (R, to 16 significant digits).
    @Test("inverse normal CDF at known points",
          arguments: [
              (0.975, 1.959963984540054), (0.025, -1.959963984540054), (0.5, 0.0),
              (0.05, -1.6448536269514722), (0.001, -3.090232306167813),
              (1e-10, -6.361340902404056), (1e-20, -9.262340089798408),
          ])
    func inverseNormalKnown(p: Double, x: Double) {
        let value = MCMCDiagnostics.inverseNormalCDF(p)
        #expect(abs(value - x) <= 4e-16 * max(1, abs(x)), "Phi^-1(\(p)) = \(value), expected \(x)")
    }

    /// Round trip x -> Phi(x) -> Phi^-1 over the lower half and deep tail. Phi(x) has ~1 ulp
    /// relative error (erfc), which moves x by about 1e-16 / |x|; the quantile adds ~1 ulp
    /// relative; so 1e-15 max(1, |x|) holds with room. (x > 0 is tested by symmetry instead:
    /// Phi(x) near 1 keeps only absolute precision.)
    @Test("inverse normal CDF inverts the erfc-based CDF and is odd about 1/2")
    func inverseNormalRoundTrip() {
        var x = -37.5
        while x <= 0.5 {
            let back = MCMCDiagnostics.inverseNormalCDF(MCMCDiagnostics.normalCDF(x))
            #expect(abs(back - x) <= 1e-15 * max(1, abs(x)), "x = \(x): got \(back)")
            x += 0.0625
        }
        for k in 2...60 {
            let p = 0x1p0 / Double(1 << min(k, 62))  // 2^-k, so 1 - p is exact
            #expect(MCMCDiagnostics.inverseNormalCDF(1 - p) == -MCMCDiagnostics.inverseNormalCDF(p) || k > 52)
        }
        #expect(MCMCDiagnostics.inverseNormalCDF(0) == -.infinity)
        #expect(MCMCDiagnostics.inverseNormalCDF(1) == .infinity)
        #expect(MCMCDiagnostics.inverseNormalCDF(1.5).isNaN && MCMCDiagnostics.inverseNormalCDF(.nan).isNaN)
    }

    // MARK: E-BFMI

    /// For iid energies E[(E_n - E_{n-1})^2] = 2 Var(E), so E-BFMI ~ 2; for AR(1) energies it is
    /// 2 (1 - phi): 0.2 at phi = 0.9, below the 0.3 warning level. The denominator, a variance of
    /// an AR(1) with phi = 0.9, has an effective size of only N (1 - phi^2)/(1 + phi^2) ~ N/10,
    /// so its relative sd is about sqrt(2 / (N/10)) = 2.2% at N = 40,000 (2.1% over 30 seeds);
    /// tolerance 10%.
    @Test("E-BFMI of iid and strongly autocorrelated energies")
    func energyBFMI() {
        var random = DiagnosticsTestRandom(seed: 11)
        let iid = random.normalChains(chains: 1, draws: 4000)[0]
        #expect(abs(MCMCDiagnostics.energyBFMI(iid) / 2 - 1) < 0.1)
        let sticky = random.ar1Chains(chains: 1, draws: 40_000, phi: 0.9)[0]
        #expect(abs(MCMCDiagnostics.energyBFMI(sticky) / 0.2 - 1) < 0.1)
        #expect(MCMCDiagnostics.energyBFMI(sticky) < ConvergenceThresholds.minimumEBFMI)
        #expect(MCMCDiagnostics.energyBFMI([1, 2, 0]) == 5.0 / 2.0)  // (1 + 4) / (0 + 1 + 1)
        #expect(MCMCDiagnostics.energyBFMI([3, 3, 3]).isNaN && MCMCDiagnostics.energyBFMI([1]).isNaN)
    }
}

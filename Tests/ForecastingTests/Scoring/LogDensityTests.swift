import Foundation
import Sampling
import Testing
@testable import Forecasting

@Suite("log predictive density")
struct LogDensityTests {
    @Test("a one-component mixture equals the Gaussian log density")
    func oneComponent() {
        for (mu, sd, y) in [(0.0, 1.0, 0.0), (3.2, 0.01, 3.25), (-1.0, 5.0, 20.0)] {
            let mix = PredictiveDensity.logPredictiveDensity(mixtureMeans: [mu], sds: [sd], y: y)
            let z = (y - mu) / sd
            let direct = -log(sd) - 0.5 * log(2 * Double.pi) - 0.5 * z * z
            #expect(abs(mix - direct) < 1e-12 * max(1, abs(direct)))
            #expect(abs(GaussianPredictive(mean: mu, sd: sd).logDensity(y) - direct) < 1e-12 * max(1, abs(direct)))
        }
        // Identical components give the same density as one.
        let two = PredictiveDensity.logPredictiveDensity(mixtureMeans: [1, 1], sds: [2, 2], y: 0.3)
        let one = PredictiveDensity.logPredictiveDensity(mixtureMeans: [1], sds: [2], y: 0.3)
        #expect(abs(two - one) < 1e-14)
    }

    @Test("log-sum-exp stays finite and exact when every density is about e^-1000")
    func farTail() {
        // Component log densities l_i = -log(2 pi)/2 - z_i^2/2 with z = 44.7 and 44.8: about
        // -1000 and -1004.5, so exp underflows to exactly 0 without the shift.
        let means = [0.0, -0.1], y = 44.7
        let l = means.map { -0.5 * log(2 * Double.pi) - 0.5 * (y - $0) * (y - $0) }
        #expect(exp(l[0]) == 0 && exp(l[1]) == 0)
        let got = PredictiveDensity.logPredictiveDensity(mixtureMeans: means, sds: [1, 1], y: y)
        // log((e^a + e^b) / 2) = a + log1p(e^(b - a)) - log 2, with b - a ~ -4.5 harmless.
        let want = l[0] + log1p(exp(l[1] - l[0])) - log(2.0)
        #expect(got.isFinite)
        #expect(abs(got - want) < 1e-12 * abs(want))
    }

    @Test("the KDE equals the Gaussian density widened by the bandwidth, on both scales")
    func kernelDensity() {
        // A Gaussian KDE of N(0, 1) draws estimates the density of N(0, 1 + h^2) (the data
        // convolved with the kernel); compare with that, so only MC error remains. The relative
        // sd of a KDE at y is sqrt(R(K) / (m h p(y))), R(K) = 1 / (2 sqrt(pi)) (Silverman 1986,
        // eq. 3.19): at most 0.03 here (y = -1.5), so 0.12 in log density is 4 sd.
        var rng = Xoshiro256StarStar(seed: 21)
        let m = 20_000
        let draws = (0..<m).map { _ in rng.standardNormal() }
        let h = PredictiveDensity.silvermanBandwidth(draws)
        #expect(h > 0.11 && h < 0.14)  // 0.9 * 20000^-0.2 = 0.124 for sd = 1
        for y in [0.0, 1.0, -1.5] {
            let kde = PredictiveDensity.kernelLogPredictiveDensity(draws: draws, y: y)
            let want = GaussianPredictive(mean: 0, sd: (1 + h * h).squareRoot()).logDensity(y)
            #expect(abs(kde - want) < 0.12, "y = \(y): \(kde) vs \(want)")
        }
        // Log scale: lognormal draws exp(mu + 0.2 Z); the KDE on log values plus the Jacobian
        // -log y is the lognormal density with log-sd sqrt(0.04 + h_log^2).
        let mu = log(3.0)
        let positive = draws.map { exp(mu + 0.2 * $0) }
        let hl = PredictiveDensity.silvermanBandwidth(positive.map { log($0) })
        for y in [3.0, 3.5] {
            let kde = PredictiveDensity.kernelLogPredictiveDensity(draws: positive, y: y, scale: .log)
            let want = GaussianPredictive(mean: mu, sd: (0.04 + hl * hl).squareRoot()).logDensity(log(y)) - log(y)
            #expect(abs(kde - want) < 0.12, "y = \(y): \(kde) vs \(want)")
        }
        #expect(PredictiveDensity.kernelLogPredictiveDensity(draws: positive, y: -1, scale: .log) == -.infinity)
        // A point mass keeps a finite, very low score away from the mass.
        let spike = PredictiveDensity.kernelLogPredictiveDensity(draws: [2, 2, 2], y: 2.1)
        #expect(spike.isFinite && spike < -1e6)
    }
}

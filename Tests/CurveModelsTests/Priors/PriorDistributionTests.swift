import Foundation
import Testing

@testable import CurveModels

@Suite struct PriorDistributionTests {
    static let distributions: [PriorDistribution] = [
        .normal(mu: 0.3, sigma: 2), .normal(mu: -1, sigma: 1e-3),
        .lognormal(mu: -0.5, sigma: 0.6), .lognormal(mu: 3, sigma: 2),
        .halfNormal(sigma: 0.02), .halfCauchy(scale: 2.5),
        .beta(alpha: 2, beta: 12), .beta(alpha: 0.5, beta: 0.5), .beta(alpha: 3, beta: 1),
        .gamma(shape: 2, rate: 0.1), .gamma(shape: 0.5, rate: 3),
        .uniform(lower: -1, upper: 4), .studentT(nu: 3, mu: 1, sigma: 0.5), .studentT(nu: 30, mu: 0, sigma: 1),
        .exponential(rate: 4),
    ]

    /// Integral of the density over the whole support, by Simpson's rule after a substitution
    /// that maps the support onto a finite s-range: x = lower + e^s on half-lines, x = logistic(s)
    /// scaled on intervals, x = mu + sinh(s) on the line.
    static func totalMass(_ d: PriorDistribution) -> Double {
        let (lower, upper) = d.support
        if lower.isFinite && upper.isFinite {
            let width = upper - lower
            return simpson({ s in
                let x = lower + width * StableMath.logistic(s)
                return Foundation.exp(d.logDensity(x)) * width * StableMath.logistic(s) * StableMath.logistic(-s)
            }, -40, 40)
        }
        if lower.isFinite {
            return simpson({ s in Foundation.exp(d.logDensity(lower + Foundation.exp(s)) + s) }, -60, 60, intervals: 40_000)
        }
        let center = d.quantile(0.5), scale = d.quantile(0.75) - d.quantile(0.25)
        return simpson({ s in Foundation.exp(d.logDensity(center + scale * sinh(s))) * scale * cosh(s) }, -45, 45, intervals: 40_000)
    }

    @Test(arguments: distributions)
    func densityIntegratesToOne(_ d: PriorDistribution) {
        #expect(isClose(Self.totalMass(d), 1, relative: 1e-6), "\(d)")
    }

    /// Points inside the support: quantiles from the far tails to the middle.
    static func points(_ d: PriorDistribution) -> [Double] {
        [1e-9, 1e-4, 0.05, 0.3, 0.5, 0.8, 0.99, 1 - 1e-7].map(d.quantile).filter { x in
            let (lower, upper) = d.support
            return x > lower && x < upper
        }
    }

    @Test(arguments: distributions)
    func derivativeMatchesFiniteDifferences(_ d: PriorDistribution) {
        let (lower, upper) = d.support
        for x in Self.points(d) {
            // A step well inside the support and small against the local scale of x.
            let room = min(x - lower, upper - x, max(abs(x), 1e-300))
            let h = 1e-5 * min(room, 1)
            // Closer to a boundary than a finite difference can resolve (x = 1 - 2.5e-14, say).
            if h < 1e3 * x.ulp { continue }
            let numeric = (d.logDensity(x + h) - d.logDensity(x - h)) / (2 * h)
            let analytic = d.logDensityDerivative(x)
            #expect(isClose(analytic, numeric, relative: 1e-5, absolute: 1e-6 / min(room, 1)), "\(d) at \(x)")
        }
    }

    @Test(arguments: distributions)
    func quantileInvertsTheCDF(_ d: PriorDistribution) {
        for p in [1e-10, 1e-4, 0.01, 0.1, 0.5, 0.9, 0.99, 1 - 1e-6] {
            let x = d.quantile(p)
            #expect(x.isFinite, "\(d) p=\(p)")
            #expect(isClose(d.cdf(x), p, relative: 1e-7, absolute: 1e-13), "\(d) p=\(p) x=\(x) cdf=\(d.cdf(x))")
        }
        #expect(d.quantile(0) == d.support.lower)
        #expect(d.quantile(1) == d.support.upper || d.quantile(1).isInfinite)
    }

    @Test(arguments: distributions)
    func cdfIsTheIntegralOfTheDensity(_ d: PriorDistribution) {
        let a = d.quantile(0.1), b = d.quantile(0.7)
        let mass = simpson({ Foundation.exp(d.logDensity($0)) }, a, b, intervals: 4000)
        #expect(isClose(mass, d.cdf(b) - d.cdf(a), relative: 1e-7), "\(d)")
    }

    @Test(arguments: distributions)
    func samplesFollowTheCDF(_ d: PriorDistribution) {
        var random = SeededRandom(seed: 42)
        let n = 20_000
        let draws = (0..<n).map { _ in random.draw(d) }
        for p in [0.1, 0.5, 0.9] {
            let q = d.quantile(p)
            let fraction = Double(draws.filter { $0 <= q }.count) / Double(n)
            // 4 binomial standard errors: sqrt(0.25 / 20000) ~ 0.0035.
            #expect(abs(fraction - p) < 0.015, "\(d) p=\(p) got \(fraction)")
        }
    }

    @Test func knownValues() {
        #expect(isClose(PriorDistribution.normal(mu: 0, sigma: 1).logDensity(0), -0.918_938_533_204_672_7, relative: 1e-15))
        #expect(isClose(PriorDistribution.normal(mu: 0, sigma: 1).cdf(1.96), 0.975_002_104_851_779_5, relative: 1e-14))
        #expect(isClose(PriorDistribution.normal(mu: 0, sigma: 1).quantile(0.975), 1.959_963_984_540_054, relative: 1e-14))
        #expect(isClose(PriorDistribution.normal(mu: 0, sigma: 1).quantile(1e-300), -37.047_096_499_997_99, relative: 1e-3))
        #expect(isClose(PriorDistribution.gamma(shape: 2, rate: 1).cdf(1), 1 - 2 / M_E, relative: 1e-14))
        #expect(isClose(PriorDistribution.beta(alpha: 2, beta: 3).cdf(0.5), 11.0 / 16, relative: 1e-14))
        #expect(isClose(PriorDistribution.studentT(nu: 1, mu: 0, sigma: 1).cdf(1), 0.75, relative: 1e-13))
        #expect(isClose(PriorDistribution.halfCauchy(scale: 1).quantile(0.5), 1, relative: 1e-15))
        #expect(isClose(PriorDistribution.halfNormal(sigma: 1).quantile(0.5), 0.674_489_750_196_081_7, relative: 1e-13))
        // Outside the support: -inf density, zero derivative.
        #expect(PriorDistribution.lognormal(mu: 0, sigma: 1).logDensity(-1) == -.infinity)
        #expect(PriorDistribution.beta(alpha: 1, beta: 1).logDensity(0) == -.infinity)
        #expect(PriorDistribution.uniform(lower: 0, upper: 1).logDensity(2) == -.infinity)
        #expect(PriorDistribution.gamma(shape: 2, rate: 1).logDensityDerivative(-1) == 0)
    }
}

extension PriorDistribution: CustomTestStringConvertible {
    public var testDescription: String { "\(self)" }
}

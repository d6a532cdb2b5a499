import Autodiff
import Foundation
import LinearAlgebra
import Testing
import TestSupport

@testable import CurveModels

@Suite struct AR1LogLikelihoodTests {
    /// Residuals drawn from the model at (sigma, rho) unless `misfit`, then iid N(0, sigma^2),
    /// which makes the innovations large when rho is near 1.
    struct Case: CustomStringConvertible, Sendable {
        let label: String
        let sigma: Double
        let rho: Double
        var misfit = false
        var description: String { "\(label) (sigma \(sigma), rho \(rho))" }
    }

    static let cases: [Case] = [
        Case(label: "ordinary", sigma: 0.3, rho: 0.8),
        Case(label: "tiny sigma", sigma: 1e-4, rho: 0.9),
        Case(label: "large sigma", sigma: 1e3, rho: 0.5),
        Case(label: "rho near 0", sigma: 0.3, rho: 1e-6),
        Case(label: "rho near 1", sigma: 0.3, rho: 1 - 1e-6),
        Case(label: "rho near 1, misfit", sigma: 0.3, rho: 1 - 1e-6, misfit: true),
        Case(label: "rho near 0, misfit", sigma: 2, rho: 1e-6, misfit: true),
    ]
    static let sizes = [1, 2, 50]

    static func data(_ c: Case, n: Int) -> (y: [Double], mu: [Double], gaps: [Double]) {
        let gaps = LikelihoodFixture.irregularGaps(n, seed: 0xA121 &+ UInt64(n))
        let mu = LikelihoodFixture.mean(n)
        let e: [Double]
        if c.misfit {
            var random = SeededRandom(seed: 7 &+ UInt64(n))
            e = mu.map { _ in c.sigma * random.normal() }
        } else {
            e = LikelihoodFixture.ar1Residuals(gaps: gaps, sigma: c.sigma, rho: c.rho, seed: 5 &+ UInt64(n))
        }
        return (zip(mu, e).map(+), mu, gaps)
    }

    /// The conditional-normal chain in 80-bit arithmetic, where 1 - phi * phi keeps ~11 digits
    /// even at c = 2e-8 (in Double it would keep ~8, too few to check the op at rho near 1).
    static func extendedReference(y: [Double], mu: [Double], gaps: [Double], sigma: Double, rho: Double)
        -> (value: Double, magnitude: Double) {
        var total: Float80 = 0, magnitude: Float80 = 0
        let s = Float80(sigma), halfLogTwoPi = Float80(ReferenceLikelihood.logTwoPi) / 2
        for i in y.indices {
            let e = Float80(y[i]) - Float80(mu[i])
            var mean: Float80 = 0, variance = s * s
            if i > 0 {
                let phi = Foundation.pow(Float80(rho), Float80(gaps[i]))
                mean = phi * (Float80(y[i - 1]) - Float80(mu[i - 1]))
                variance = s * s * (1 - phi * phi)
            }
            let quadratic = (e - mean) * (e - mean) / (2 * variance)
            let logs = Foundation.log(variance) / 2 + halfLogTwoPi
            total -= quadratic + logs
            magnitude += abs(quadratic) + abs(logs)
        }
        return (Double(total), Double(magnitude))
    }

    @Test(arguments: cases, sizes)
    func valueMatchesTheConditionalChain(_ c: Case, _ n: Int) {
        let (y, mu, gaps) = Self.data(c, n: n)
        var tape = LikelihoodFixture.directTape(AR1LogLikelihood(y: y, gaps: gaps), n: n)
        let value = tape.value(at: mu + [c.sigma, c.rho])
        let (reference, magnitude) = Self.extendedReference(y: y, mu: mu, gaps: gaps, sigma: c.sigma, rho: c.rho)
        // The op's inputs carry rounding relative to the terms' sizes: c_i to ~eps relative,
        // the residuals to ~eps * |y|, amplified by 1/c_i in the quadratic form.
        #expect(abs(value - reference) <= 1e-11 * magnitude, "\(value) vs \(reference) (terms of size \(magnitude))")
        if c.rho < 0.99 {
            // Away from rho = 1 the plain Double chain is accurate too.
            let plain = ReferenceLikelihood.ar1(y: y, mu: mu, gaps: gaps, sigma: c.sigma, rho: c.rho)
            #expect(abs(value - plain) <= 1e-12 * magnitude, "\(value) vs \(plain)")
        }
    }

    @Test(arguments: [(0.4, 0.7), (1.5, 0.05), (0.02, 0.97)])
    func valueIsTheOrnsteinUhlenbeckMultivariateNormal(_ parameters: (Double, Double)) throws {
        let (sigma, rho) = parameters
        // n = 5 at times 0, 0.3, 2.8, 2.81, 9.81: log N(e | 0, Sigma), Sigma_ij = sigma^2 rho^|t_i - t_j|.
        let gaps = [0, 0.3, 2.5, 0.01, 7.0]
        var times = [0.0]
        for g in gaps.dropFirst() { times.append(times.last! + g) }
        let y = [0.31, -0.2, 0.55, 0.52, -0.1], mu = [0.1, 0.05, 0.2, 0.25, 0.1]
        var covariance = Matrix(rows: 5, columns: 5)
        for i in 0..<5 {
            for j in 0..<5 { covariance[i, j] = sigma * sigma * Foundation.pow(rho, abs(times[i] - times[j])) }
        }
        let factor = try Cholesky(covariance)
        let e = zip(y, mu).map(-)
        var solved = e
        factor.solve(&solved)
        let quadratic = zip(e, solved).reduce(0) { $0 + $1.0 * $1.1 }
        let expected = -0.5 * quadratic - 0.5 * factor.logDeterminant - 2.5 * ReferenceLikelihood.logTwoPi
        var tape = LikelihoodFixture.directTape(AR1LogLikelihood(y: y, gaps: gaps), n: 5)
        let value = tape.value(at: mu + [sigma, rho])
        #expect(isClose(value, expected, relative: 1e-11), "\(value) vs \(expected)")
    }

    @Test(arguments: cases, sizes)
    func gradientMatchesFiniteDifferences(_ c: Case, _ n: Int) {
        let (y, mu, gaps) = Self.data(c, n: n)
        let tape = LikelihoodFixture.directTape(AR1LogLikelihood(y: y, gaps: gaps), n: n)
        // log L is quadratic in mu, so any step is exact there up to rounding; sigma steps on
        // itself; rho on its distance to the nearer edge (for rho near 1, 10 (1 - rho): the
        // step 1e-9 stays inside (0, 1) and is still represented to ~1e-7 next to 1).
        let rhoScale = min(c.rho, 10 * (1 - c.rho))
        let scales = [Double](repeating: c.sigma, count: n) + [c.sigma, rhoScale]
        let mismatches = GradientChecker().check("ar1 \(c) n=\(n)", tape: tape, at: mu + [c.sigma, c.rho],
                                                 stepScales: scales)
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func gradientOfTwoPointsByHand() {
        // n = 2, gap 1: e = (1, 0.5), sigma = 1, rho = 0.5: u = 0, c = 3/4.
        // log L = -2 log(2 pi)/2 - log(3/4)/2 - 1/2; d/dmu = (v_1 - phi v_2, v_2) = (1, 0);
        // d/dsigma = -2 + 1 = -1; d/drho = (0 + phi / c) * phi / rho = (2/3) * 1 = 2/3.
        var tape = LikelihoodFixture.directTape(AR1LogLikelihood(y: [1, 0.5], gaps: [0, 1]), n: 2)
        var g = [0.0, 0, 0, 0]
        let value = tape.valueAndGradient(at: [0, 0, 1, 0.5], gradient: &g)
        #expect(isClose(value, -ReferenceLikelihood.logTwoPi - 0.5 * Foundation.log(0.75) - 0.5, relative: 1e-15))
        #expect(isClose(g[0], 1, relative: 1e-15) && abs(g[1]) < 1e-15, "\(g)")
        #expect(isClose(g[2], -1, relative: 1e-15) && isClose(g[3], 2.0 / 3, relative: 1e-15), "\(g)")
    }

    @Test func insideAModelWithALinearMean() {
        // Steps logged at irregular times; mu = a + b log t feeds the likelihood and a second
        // term; sigma = e^s and rho = logistic(k) are computed on the tape too.
        let t: [Double] = [1, 2, 3, 5, 8, 13, 20, 21, 35, 60, 100, 101, 150, 400, 1000]
        let gaps = [0] + zip(t.dropFirst(), t).map { ($0 - $1) / 10 }
        let e = LikelihoodFixture.ar1Residuals(gaps: gaps, sigma: 0.05, rho: 0.9, seed: 3)
        let y = zip(t, e).map { 2 - 0.3 * Foundation.log($0) + $1 }
        let r = TapeRecorder()
        let a = r.parameter("a"), b = r.parameter("b"), s = r.parameter("log_sigma"), k = r.parameter("logit_rho")
        let mu = a + b * r.log(r.vector(t))
        let rho = 1.0 / (1.0 + r.exp(-k))
        let ll = r.custom(AR1LogLikelihood(y: y, gaps: gaps), inputs: [mu, r.exp(s), rho])
        let tape = r.finish(output: ll - 0.5 * a * a + 0.01 * r.sum(mu * mu))
        for point in [[2, -0.3, Foundation.log(0.05), 2.2], [1.5, 0.1, Foundation.log(0.5), -3], [2.1, -0.29, Foundation.log(1e-3), 12]] {
            let mismatches = GradientChecker().check("ar1 linear mean", tape: tape, at: point)
            #expect(mismatches.isEmpty, "\(mismatches)")
        }
    }

    @Test func inputsWithoutGradientAreSkipped() {
        let (y, mu, gaps) = Self.data(Self.cases[0], n: 12)
        let r1 = TapeRecorder()
        let m1 = r1.parameterVector("mu", count: 12)
        let t1 = r1.finish(output: r1.custom(AR1LogLikelihood(y: y, gaps: gaps), inputs: [m1, r1.constant(0.3), r1.constant(0.8)]))
        #expect(GradientChecker().check("mu only", tape: t1, at: mu).isEmpty)
        let r2 = TapeRecorder()
        let rho = r2.parameter("rho")
        let t2 = r2.finish(output: r2.custom(AR1LogLikelihood(y: y, gaps: gaps), inputs: [r2.vector(mu), r2.constant(0.3), rho]))
        #expect(GradientChecker().check("rho only", tape: t2, at: [0.8]).isEmpty)
        // All inputs data: the node is folded at recording time.
        let r3 = TapeRecorder()
        let p = r3.parameter("p")
        let folded = r3.custom(AR1LogLikelihood(y: y, gaps: gaps), inputs: [r3.vector(mu), r3.constant(0.3), r3.constant(0.8)])
        var t3 = r3.finish(output: folded * p)
        #expect(isClose(t3.value(at: [1]), ReferenceLikelihood.ar1(y: y, mu: mu, gaps: gaps, sigma: 0.3, rho: 0.8), relative: 1e-13))
    }

    @Test func singleAndNoPoints() {
        var one = LikelihoodFixture.directTape(AR1LogLikelihood(y: [0.7], gaps: [5]), n: 1)
        var g = [0.0, 0, 0]
        let value = one.valueAndGradient(at: [0.2, 0.3, 0.9], gradient: &g)
        #expect(isClose(value, ReferenceLikelihood.normal(0.5, mean: 0, sd: 0.3), relative: 1e-15))
        #expect(g[2] == 0, "rho does not enter a single point")
        var none = LikelihoodFixture.directTape(AR1LogLikelihood(y: [], gaps: []), n: 0)
        var g0 = [0.0, 0]
        #expect(none.valueAndGradient(at: [0.3, 0.9], gradient: &g0) == 0 && g0 == [0, 0])
    }

    @Test func zeroGapIsRejected() async {
        await #expect(processExitsWith: .failure) {
            _ = AR1LogLikelihood(y: [1, 1], gaps: [0, 0])
        }
    }

    // MARK: predictive

    @Test(arguments: [(0.4, 0.7, 1.0), (0.4, 0.7, 0.05), (2.0, 0.2, 3.5), (0.01, 0.999, 40)])
    func predictiveIsTheConditionalNormalGivenTheWholePast(_ parameters: (Double, Double, Double)) throws {
        // Condition the OU process at the forecast time on all four past points (Schur
        // complement); by the Markov property only the last one should matter.
        let (sigma, rho, gap) = parameters
        let times = [0.0, 0.7, 1.9, 2.2], future = 2.2 + gap
        let e = [0.3 * sigma, -0.5 * sigma, 0.8 * sigma, 1.1 * sigma]
        var past = Matrix(rows: 4, columns: 4)
        for i in 0..<4 { for j in 0..<4 { past[i, j] = sigma * sigma * Foundation.pow(rho, abs(times[i] - times[j])) } }
        let cross = times.map { sigma * sigma * Foundation.pow(rho, future - $0) }
        let factor = try Cholesky(past)
        var weights = cross
        factor.solve(&weights)
        let mean = zip(weights, e).reduce(0) { $0 + $1.0 * $1.1 }
        let variance = sigma * sigma - zip(weights, cross).reduce(0) { $0 + $1.0 * $1.1 }
        let p = AR1LogLikelihood.predictive(lastResidual: e[3], gap: gap, sigma: sigma, rho: rho)
        #expect(isClose(p.mean, mean, relative: 1e-9, absolute: 1e-15 * sigma), "\(p.mean) vs \(mean)")
        #expect(isClose(p.sd, variance.squareRoot(), relative: 1e-7), "\(p.sd) vs \(variance.squareRoot())")
    }

    @Test func predictiveKeepsItsPrecisionAsPhiApproachesOne() {
        // rho = 1 - 1e-6 at gap 0.01: 1 - phi^2 = -2a - 2a^2 - ..., a = gap log rho ~ -1e-8,
        // where 1 - phi * phi in Double would keep only ~8 digits.
        let rho = 1 - 1e-6, gap = 0.01, sigma = 0.2
        let a = gap * Foundation.log(rho)
        let p = AR1LogLikelihood.predictive(lastResidual: 0.1, gap: gap, sigma: sigma, rho: rho)
        #expect(isClose(p.sd, sigma * (-2 * a - 2 * a * a).squareRoot(), relative: 1e-14))
        #expect(isClose(p.mean, 0.1 * (1 + a + a * a / 2), relative: 1e-15))
        let same = AR1LogLikelihood.predictive(lastResidual: 0.1, gap: 0, sigma: sigma, rho: rho)
        #expect(same.mean == 0.1 && same.sd == 0)
    }
}

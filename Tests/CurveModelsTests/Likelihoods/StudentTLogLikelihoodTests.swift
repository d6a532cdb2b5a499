import Autodiff
import Foundation
import Testing
import TestSupport

@testable import CurveModels

@Suite struct StudentTLogLikelihoodTests {
    /// A point of (sigma, nu) with residuals of `residualScale * sigma`, every seventh an outlier.
    struct Case: CustomStringConvertible, Sendable {
        let label: String
        let sigma: Double
        let nu: Double
        let residualScale: Double
        var description: String { "\(label) (sigma \(sigma), nu \(nu))" }
    }

    static let cases: [Case] = [
        Case(label: "ordinary", sigma: 0.7, nu: 4, residualScale: 1),
        Case(label: "tiny sigma", sigma: 1e-4, nu: 3, residualScale: 1),
        Case(label: "tiny sigma, misfit", sigma: 1e-4, nu: 3, residualScale: 1e3),
        Case(label: "large sigma", sigma: 1e3, nu: 6, residualScale: 0.5),
        Case(label: "small nu", sigma: 1.3, nu: 0.5, residualScale: 2),
        Case(label: "large nu", sigma: 0.4, nu: 1e4, residualScale: 1),
        Case(label: "nu at the series switch", sigma: 0.4, nu: 32, residualScale: 1),
    ]
    static let sizes = [1, 2, 50]

    static func data(_ c: Case, n: Int) -> (y: [Double], mu: [Double]) {
        var random = SeededRandom(seed: 0x5747 &+ UInt64(n))
        let mu = LikelihoodFixture.mean(n)
        let y = mu.indices.map { i in
            mu[i] + c.residualScale * c.sigma * random.normal() * (i % 7 == 6 ? 20 : 1)
        }
        return (y, mu)
    }

    @Test(arguments: cases, sizes)
    func valueMatchesThePlainLoop(_ c: Case, _ n: Int) {
        let (y, mu) = Self.data(c, n: n)
        var tape = LikelihoodFixture.directTape(StudentTLogLikelihood(y: y), n: n)
        let value = tape.value(at: mu + [c.sigma, c.nu])
        let reference = ReferenceLikelihood.studentT(y: y, mu: mu, sigma: c.sigma, nu: c.nu)
        // The reference's lgamma((nu+1)/2) - lgamma(nu/2) carries ~eps * lgamma(nu/2) per point.
        let magnitude = Double(n) * (abs(lgamma((c.nu + 1) / 2)) + abs(lgamma(c.nu / 2)) + abs(Foundation.log(c.sigma)) + 1)
        #expect(abs(value - reference) <= 1e-13 * (magnitude + abs(reference)), "\(value) vs \(reference)")
    }

    @Test(arguments: cases, sizes)
    func gradientMatchesFiniteDifferences(_ c: Case, _ n: Int) {
        let (y, mu) = Self.data(c, n: n)
        let tape = LikelihoodFixture.directTape(StudentTLogLikelihood(y: y), n: n)
        // Steps relative to the scale each coordinate acts on: the location on sigma sqrt(nu)
        // (the width of the density's core), sigma and nu on themselves.
        let muScale = c.sigma * min(1, c.nu.squareRoot())
        let scales = [Double](repeating: muScale, count: n) + [c.sigma, c.nu]
        let mismatches = GradientChecker().check("student-t \(c) n=\(n)", tape: tape, at: mu + [c.sigma, c.nu],
                                                 stepScales: scales)
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func gradientAtHandDerivedValues() {
        // n = 1, y - mu = 1, sigma = 1, nu = 1 (Cauchy): log L = -log(pi) - log 2,
        // d/dmu = 2 r / (1 + r^2) = 1, d/dsigma = -1 + 2 * 1/2 = 0,
        // d/dnu = (psi(1) - psi(1/2) - 1)/2 - (log 2 - 1/2)/2 + 1/4, with psi(1) - psi(1/2) = 2 log 2,
        //       = (log 2)/2.
        var tape = LikelihoodFixture.directTape(StudentTLogLikelihood(y: [1]), n: 1)
        var g = [0.0, 0, 0]
        let value = tape.valueAndGradient(at: [0, 1, 1], gradient: &g)
        #expect(isClose(value, -Foundation.log(2 * Double.pi), relative: 1e-15))
        #expect(isClose(g[0], 1, relative: 1e-15))
        #expect(abs(g[1]) < 1e-15, "\(g)")
        #expect(isClose(g[2], Foundation.log(2.0) / 2, relative: 1e-14), "\(g)")
    }

    @Test func approachesTheGaussianAsNuGrows() {
        // Gaussian residuals (no outliers), so that z^4 / nu is small.
        let n = 50, sigma = 0.7
        var random = SeededRandom(seed: 99)
        let mu = LikelihoodFixture.mean(n)
        let y = mu.map { $0 + sigma * random.normal() }
        let gaussian = ReferenceLikelihood.gaussian(y: y, mu: mu, sigma: sigma)
        var tape = LikelihoodFixture.directTape(StudentTLogLikelihood(y: y), n: n)
        // First order in 1/nu: log t - log N = sum_i (z_i^4 - 2 z_i^2 - 1) / (4 nu) + O(z^6 / nu^2).
        let z = zip(y, mu).map { ($0 - $1) / sigma }
        let firstOrder = z.reduce(0) { $0 + ($1 * $1 * $1 * $1 - 2 * $1 * $1 - 1) / 4 }
        for nu in [1e4, 1e6, 1e8] {
            let difference = tape.value(at: mu + [sigma, nu]) - gaussian
            #expect(isClose(difference * nu, firstOrder, relative: 100 / nu, absolute: 1e-13 * abs(gaussian) * nu),
                    "nu \(nu): nu * (log t - log N) = \(difference * nu), expected \(firstOrder)")
        }
        // Far out, the value is the Gaussian one plus the first-order term to rounding (a
        // difference of two lgammas of size 1.3e13 would be off by ~1e-3 at nu = 1e12).
        for nu in [1e12, 1e300] {
            let value = tape.value(at: mu + [sigma, nu])
            #expect(abs(value - gaussian - firstOrder / nu) <= 1e-14 * abs(gaussian), "nu \(nu): \(value) vs \(gaussian)")
        }

        // The gradients converge too: mu and sigma to the Gaussian's, nu's to the derivative
        // of the first-order term, -firstOrder / nu^2, which is O(1/nu^2) and fully resolved.
        for nu in [1e6, 1e8] {
            var g = [Double](repeating: 0, count: n + 2)
            _ = tape.valueAndGradient(at: mu + [sigma, nu], gradient: &g)
            for i in 0..<n {
                #expect(isClose(g[i], (y[i] - mu[i]) / (sigma * sigma), relative: 100 / nu, absolute: 1e-12))
            }
            let dSigma = z.reduce(0) { $0 + $1 * $1 } / sigma - Double(n) / sigma
            #expect(isClose(g[n], dSigma, relative: 100 / nu))
            // firstOrder nearly cancels over Gaussian draws (E z^4 = 3), so bound the O(1/nu^3)
            // remainder by its size, sum_i (z_i^6 + 1) / nu^3, rather than relative to firstOrder.
            let secondOrder = z.reduce(0) { $0 + $1 * $1 * $1 * $1 * $1 * $1 + 1 } / (nu * nu * nu)
            #expect(abs(g[n + 1] + firstOrder / (nu * nu)) <= secondOrder,
                    "nu \(nu): d/dnu \(g[n + 1]) vs \(-firstOrder / (nu * nu))")
        }
    }

    @Test func insideAModelWithALinearMean() {
        // mu = a + b x feeds the likelihood and a second term, so the node's vector adjoint
        // flows into a computed vector that is also used elsewhere; sigma = e^s, nu = e^k.
        let x = (0..<40).map { Double($0) / 4 }
        var random = SeededRandom(seed: 11)
        let y = x.map { 1 + 0.5 * $0 + 0.3 * random.normal() / max(0.2, random.uniform()) }
        let r = TapeRecorder()
        let a = r.parameter("a"), b = r.parameter("b"), s = r.parameter("log_sigma"), k = r.parameter("log_nu")
        let mu = a + b * r.vector(x)
        let ll = r.custom(StudentTLogLikelihood(y: y), inputs: [mu, r.exp(s), r.exp(k)])
        let tape = r.finish(output: ll - 0.5 * a * a + 0.01 * r.sum(mu * mu))
        for point in [[0.9, 0.45, Foundation.log(0.3), Foundation.log(3.0)], [2, -1, Foundation.log(5.0), Foundation.log(0.7)],
                      [1, 0.5, Foundation.log(1e-3), Foundation.log(200.0)]] {
            let mismatches = GradientChecker().check("student-t linear mean", tape: tape, at: point)
            #expect(mismatches.isEmpty, "\(mismatches)")
        }
    }

    @Test func inputsWithoutGradientAreSkipped() {
        let (y, mu) = Self.data(Self.cases[0], n: 9)
        // Only mu needs a gradient (sigma and nu are data) ...
        let r1 = TapeRecorder()
        let m1 = r1.parameterVector("mu", count: 9)
        let t1 = r1.finish(output: r1.custom(StudentTLogLikelihood(y: y), inputs: [m1, r1.constant(0.7), r1.constant(4)]))
        #expect(GradientChecker().check("mu only", tape: t1, at: mu).isEmpty)
        // ... or only nu (mu and sigma are data).
        let r2 = TapeRecorder()
        let nu = r2.parameter("nu")
        let t2 = r2.finish(output: r2.custom(StudentTLogLikelihood(y: y), inputs: [r2.vector(mu), r2.constant(0.7), nu]))
        #expect(GradientChecker().check("nu only", tape: t2, at: [4]).isEmpty)
        var copy = t2
        #expect(isClose(copy.value(at: [4]), ReferenceLikelihood.studentT(y: y, mu: mu, sigma: 0.7, nu: 4), relative: 1e-13))
    }

    @Test func emptyDataContributeNothing() {
        var tape = LikelihoodFixture.directTape(StudentTLogLikelihood(y: []), n: 0)
        var g = [0.0, 0]
        #expect(tape.valueAndGradient(at: [0.7, 4], gradient: &g) == 0)
        #expect(g == [0, 0])
    }
}

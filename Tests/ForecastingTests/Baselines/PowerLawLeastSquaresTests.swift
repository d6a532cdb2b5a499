import Foundation
import Sampling
import Testing
@testable import Forecasting

@Suite("least-squares power-law baseline")
struct PowerLawLeastSquaresTests {
    /// L(t) = 2 + 10 t^-0.5 at n log-spaced steps in [100, 10000], plus N(0, noise^2).
    static func synthetic(n: Int, noise: Double, seed: UInt64 = 1, upTo last: Double = 10_000) -> ([Double], [Double]) {
        var rng = Xoshiro256StarStar(seed: seed)
        let steps = (0..<n).map { 100 * pow(last / 100, Double($0) / Double(n - 1)) }
        let values = steps.map { 2 + 10 * pow($0, -0.5) + noise * rng.standardNormal() }
        return (steps, values)
    }

    @Test("recovers known parameters from noisy synthetic data, within its own standard errors")
    func recovery() throws {
        let (t, y) = Self.synthetic(n: 200, noise: 1e-3)
        let fit = try PowerLawLeastSquares.fit(steps: t, values: y)
        #expect(fit.converged)
        // The working parameters are (log E, log A_r, log alpha); compare on that scale with
        // 4 delta-method standard errors, and check the errors are small in absolute terms.
        let tr = fit.referenceStep
        let truth = [log(2.0), log(10 * pow(tr, -0.5)), log(0.5)]
        for k in 0..<3 {
            let se = fit.covariance[k, k].squareRoot()
            #expect(abs(fit.theta[k] - truth[k]) < 4 * se, "parameter \(k): \(fit.theta[k]) vs \(truth[k]), se \(se)")
            #expect(se < 0.05)
        }
        #expect(abs(fit.floor - 2) < 0.02 && abs(fit.exponent - 0.5) < 0.02 && abs(fit.amplitude - 10) / 10 < 0.1)
        // Residual sd estimates the noise: s^2 (n - 3) / sigma^2 ~ chi^2(197), sd of s/sigma ~ 0.05.
        #expect(abs(fit.residualSD / 1e-3 - 1) < 0.2)
        // Exact data: recovery to near machine precision from every start.
        let exact = try PowerLawLeastSquares.fit(steps: t, values: t.map { 2 + 10 * pow($0, -0.5) })
        #expect(abs(exact.floor - 2) < 1e-6 && abs(exact.exponent - 0.5) < 1e-6)
    }

    @Test("the delta-method sd shrinks with more data and grows with extrapolation distance")
    func bandBehaviour() throws {
        let (t1, y1) = Self.synthetic(n: 20, noise: 2e-3, seed: 2)
        let (t2, y2) = Self.synthetic(n: 400, noise: 2e-3, seed: 2)
        let small = try PowerLawLeastSquares.fit(steps: t1, values: y1)
        let large = try PowerLawLeastSquares.fit(steps: t2, values: y2)
        // The sd of the mean scales like 1/sqrt(n): 20x the points, ~4.5x narrower.
        for step in [20_000.0, 100_000] {
            #expect(large.meanSD(at: step) < small.meanSD(at: step) / 2.5, "step \(step)")
        }
        let sds = [10_000.0, 20_000, 100_000, 1_000_000].map { large.meanSD(at: $0) }
        for k in 1..<sds.count { #expect(sds[k] > sds[k - 1]) }
        // The predictive adds the residual variance: above both of its parts.
        let p = large.predictive(at: 100_000)
        #expect(p.sd > large.meanSD(at: 100_000) && p.sd > large.residualSD)
        #expect(abs(p.sd * p.sd - (large.meanSD(at: 100_000) * large.meanSD(at: 100_000) + large.residualVariance)) < 1e-15)
    }

    @Test("the delta-method sd matches a central finite-difference gradient")
    func deltaMethodGradient() throws {
        let (t, y) = Self.synthetic(n: 50, noise: 1e-3, seed: 4)
        let fit = try PowerLawLeastSquares.fit(steps: t, values: y)
        let step = 50_000.0
        func mean(_ theta: [Double]) -> Double {
            exp(theta[0]) + exp(theta[1]) * exp(-exp(theta[2]) * log(step / fit.referenceStep))
        }
        var g = [0.0, 0.0, 0.0]
        for k in 0..<3 {
            var a = fit.theta, b = fit.theta
            a[k] += 1e-6; b[k] -= 1e-6
            g[k] = (mean(a) - mean(b)) / 2e-6
        }
        var v = 0.0
        for i in 0..<3 { for j in 0..<3 { v += g[i] * fit.covariance[i, j] * g[j] } }
        #expect(abs(v.squareRoot() / fit.meanSD(at: step) - 1) < 1e-6)
        #expect(abs(mean(fit.theta) - fit.mean(at: step)) < 1e-14)
    }

    @Test("runs the protocol on a real curve with finite forecasts")
    func realCurve() throws {
        let curve = try CurveFile("gemstones/constant/256x23.csv")
        for h in [3.0, 10, 30] {
            let r = PowerLawLeastSquares.backtest(curveID: "gemstones/constant/256x23", group: "gemstones/constant",
                                                  steps: curve.steps, values: curve.losses, horizon: h)
            let score = try r.get()
            #expect(score.points.allSatisfy { $0.median.isFinite && $0.crps.isFinite && $0.logDensity.isFinite })
            #expect(score.points.allSatisfy { $0.intervals.allSatisfy { $0.lower < $0.upper } })
            // Losses near 2-4: a sane fit is within 30% at the last scored step.
            #expect(score.finalRelativeError < 0.3, "horizon \(h): \(score.finalRelativeError)")
        }
        let skipped = PowerLawLeastSquares.backtest(curveID: "x", group: "g", steps: curve.steps,
                                                    values: curve.losses, horizon: 100)
        #expect(throws: SkippedCurve.self) { try skipped.get() }
    }
}

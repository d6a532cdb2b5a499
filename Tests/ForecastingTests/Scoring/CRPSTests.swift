import Foundation
import Sampling
import Testing
@testable import Forecasting

@Suite("CRPS")
struct CRPSTests {
    /// The O(m^2) definition, as an oracle for the sorted O(m log m) form.
    static func bruteForce(_ x: [Double], _ y: Double, fair: Bool) -> Double {
        let m = Double(x.count)
        let a = x.reduce(0) { $0 + abs($1 - y) } / m
        var pairs = 0.0
        for u in x { for v in x { pairs += abs(u - v) } }
        return a - 0.5 * pairs / (fair ? m * (m - 1) : m * m)
    }

    @Test("the sorted form equals the pairwise definition (both estimators)")
    func matchesDefinition() {
        var rng = Xoshiro256StarStar(seed: 3)
        let x = (0..<57).map { _ in rng.standardNormal() * 2 + 1 }
        let s = PredictiveSample(draws: x)
        for y in [-10.0, -1, 0.3, 1, 2.5, 40] {
            for fair in [false, true] {
                let got = s.crps(y, estimator: fair ? .fair : .standard)
                let want = Self.bruteForce(x, y, fair: fair)
                // Both sum ~60 terms of size ~2: agreement to ~1e-13 absolute.
                #expect(abs(got - want) < 1e-12, "y = \(y), fair = \(fair): \(got) vs \(want)")
            }
        }
    }

    @Test("the CRPS of a point mass is |x - y|")
    func pointMass() {
        for m in [1, 2, 50] {
            let s = PredictiveSample(draws: [Double](repeating: 2.5, count: m))
            for y in [-1.0, 2.5, 3.25] {
                #expect(abs(s.crps(y, estimator: .standard) - abs(2.5 - y)) < 1e-14)
                #expect(abs(s.crps(y, estimator: .fair) - abs(2.5 - y)) < 1e-14)
            }
        }
        // The Gaussian closed form tends to |mu - y| as sd -> 0.
        #expect(abs(GaussianPredictive(mean: 2.5, sd: 1e-9).crps(3.25) - 0.75) < 1e-8)
    }

    @Test("the sample CRPS converges to the Gaussian closed form")
    func convergesToClosedForm() {
        let m = 100_000
        let mu = 1.5, sd = 0.7
        var rng = Xoshiro256StarStar(seed: 5)
        let s = PredictiveSample(draws: (0..<m).map { _ in mu + sd * rng.standardNormal() })
        let g = GaussianPredictive(mean: mu, sd: sd)
        for y in [1.5, 2.0, 0.0, 4.0] {
            // MC error: the fair estimator is unbiased; its sd is at most the sd of the mean of
            // |X - y| (<= sqrt((sd^2 + (mu - y)^2) / m)) plus half that of the U-statistic for
            // E|X - X'| (<= 2 sqrt(Var|X - X'| / m) / 2 <= sd sqrt(2 / m)). 5 of those bounds.
            let tol = 5 * (((sd * sd + (mu - y) * (mu - y)) / Double(m)).squareRoot() + sd * (2 / Double(m)).squareRoot())
            let sample = s.crps(y), exact = g.crps(y)
            #expect(abs(sample - exact) < tol, "y = \(y): sample \(sample), closed form \(exact), tol \(tol)")
        }
        // Known value: CRPS(N(0, 1), 0) = 2 phi(0) - 1/sqrt(pi) = (sqrt 2 - 1) / sqrt(pi).
        #expect(abs(GaussianPredictive(mean: 0, sd: 1).crps(0) - (2.0.squareRoot() - 1) / Double.pi.squareRoot()) < 1e-15)
    }

    @Test("the true distribution has the lowest expected CRPS")
    func properness() {
        // y ~ N(0, 1); candidates: the truth, a shifted, a wider and a narrower Gaussian.
        var rng = Xoshiro256StarStar(seed: 8)
        let ys = (0..<20_000).map { _ in rng.standardNormal() }
        let candidates = [(0.0, 1.0), (0.5, 1.0), (0.0, 2.0), (0.0, 0.5)]
        let means = candidates.map { c in
            ys.reduce(0) { $0 + GaussianPredictive(mean: c.0, sd: c.1).crps($1) } / Double(ys.count)
        }
        // Expected excess scores are 0.07 / 0.09 / 0.04 above 1/sqrt(pi) = 0.564; the paired MC
        // error of the differences is below 0.005.
        #expect(abs(means[0] - 1 / Double.pi.squareRoot()) < 0.01)
        for k in 1..<means.count { #expect(means[k] > means[0] + 0.02, "candidate \(candidates[k])") }
        // The same ordering from samples (standard estimator, 4000 draws per candidate).
        let sampleMeans = candidates.map { c in
            let s = PredictiveSample(draws: (0..<4000).map { _ in c.0 + c.1 * rng.standardNormal() })
            return ys.reduce(0) { $0 + s.crps($1, estimator: .standard) } / Double(ys.count)
        }
        for k in 1..<sampleMeans.count { #expect(sampleMeans[k] > sampleMeans[0] + 0.02) }
    }
}

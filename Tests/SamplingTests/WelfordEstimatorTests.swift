import Testing
@testable import Sampling

@Suite("Welford estimators")
struct WelfordEstimatorTests {
    static func data() -> [[Double]] {
        var rng = Xoshiro256StarStar(seed: 21)
        // Large common offset: a naive sum-of-squares formula would lose ~8 digits here.
        return (0..<500).map { _ in
            let a = rng.standardNormal(), b = rng.standardNormal()
            return [1e4 + a, -3e4 + 0.5 * a + 2 * b, 7 + 0.01 * b]
        }
    }

    @Test("variance equals the two-pass formula")
    func varianceMatchesTwoPass() {
        let xs = Self.data()
        var w = WelfordVarianceEstimator(dimension: 3)
        #expect(w.variance() == nil)
        for x in xs { w.add(x) }
        let v = w.variance()!
        for j in 0..<3 {
            let col = xs.map { $0[j] }
            let ref = sampleVariance(col)
            // Welford is backward stable: relative error a few hundred ulp at most for n = 500.
            #expect(abs(v[j] - ref) <= 1e-11 * ref, "coordinate \(j): \(v[j]) vs \(ref)")
        }
        w.restart()
        #expect(w.count == 0 && w.variance() == nil)
    }

    @Test("covariance equals the two-pass formula")
    func covariance() {
        let xs = Self.data()
        var w = WelfordCovarianceEstimator(dimension: 3)
        for x in xs { w.add(x) }
        let c = w.covariance()!
        let n = Double(xs.count)
        let m = (0..<3).map { j in xs.reduce(0) { $0 + $1[j] } / n }
        for i in 0..<3 { for j in 0..<3 {
            let ref = xs.reduce(0) { $0 + ($1[i] - m[i]) * ($1[j] - m[j]) } / (n - 1)
            let scale = (sampleVariance(xs.map { $0[i] }) * sampleVariance(xs.map { $0[j] })).squareRoot()
            #expect(abs(c[i, j] - ref) <= 1e-11 * scale, "(\(i),\(j)): \(c[i, j]) vs \(ref)")
        } }
    }
}

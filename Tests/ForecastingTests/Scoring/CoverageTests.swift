import Foundation
import Sampling
import Testing
@testable import Forecasting

@Suite("interval coverage")
struct CoverageTests {
    /// Draws from N(0, sd^2), shared by all observations, and n observations from N(0, 1).
    static func hitRates(predictiveSD: Double, draws m: Int, observations n: Int) -> [Double: Double] {
        var rng = Xoshiro256StarStar(seed: 11)
        let sample = PredictiveSample(draws: (0..<m).map { _ in predictiveSD * rng.standardNormal() })
        var hits: [Double: Int] = [:]
        for _ in 0..<n {
            let y = rng.standardNormal()
            for l in CoverageLevels.protocolLevels where sample.centralInterval(l).contains(y) { hits[l, default: 0] += 1 }
        }
        return hits.mapValues { Double($0) / Double(n) }
    }

    @Test("a calibrated sample predictive covers at the nominal rates")
    func calibrated() {
        let m = 20_000, n = 10_000
        let rates = Self.hitRates(predictiveSD: 1, draws: m, observations: n)
        for l in CoverageLevels.protocolLevels {
            // Two sources of error. (1) Given the interval, hits are Binomial(n, p) with p its true
            // probability: sd sqrt(l (1 - l) / n). (2) The interval's true probability differs
            // from l because its endpoints are sample quantiles: F(Q_hat(q)) has sd about
            // sqrt(q (1 - q) / m) for each endpoint q = (1 -+ l)/2 (the uniform order-statistic
            // variance). Endpoints are nearly independent, so the total sd is their root sum of
            // squares; 4 sd makes a spurious failure a ~1e-4 event.
            let q = (1 - l) / 2
            let sd = (l * (1 - l) / Double(n) + 2 * q * (1 - q) / Double(m)).squareRoot()
            let rate = rates[l] ?? 0
            #expect(abs(rate - l) < 4 * sd, "level \(l): hit rate \(rate), tolerance \(4 * sd)")
        }
    }

    @Test("a predictive three times too narrow covers far below nominal")
    func tooNarrow() {
        let rates = Self.hitRates(predictiveSD: 0.3, draws: 20_000, observations: 10_000)
        for l in CoverageLevels.protocolLevels {
            // True coverage is P(|Z| < 0.3 z_l): 0.16 / 0.30 / 0.44 for 50 / 80 / 95%.
            let truth = 2 * MCMCDiagnostics.normalCDF(0.3 * MCMCDiagnostics.inverseNormalCDF((1 + l) / 2)) - 1
            let rate = rates[l] ?? 0
            #expect(rate < l - 0.3, "level \(l): hit rate \(rate)")
            #expect(abs(rate - truth) < 0.03, "level \(l): hit rate \(rate), expected about \(truth)")
        }
    }

    @Test("type-7 quantiles match R's quantile() on a small sample")
    func typeSevenQuantiles() {
        // R: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), c(0, .1, .25, .5, .9, 1), type = 7)
        //    -> 1.00 1.00 1.75 3.50 6.90 9.00
        let s = PredictiveSample(draws: [3, 1, 4, 1, 5, 9, 2, 6])
        let expected: [(Double, Double)] = [(0, 1), (0.1, 1), (0.25, 1.75), (0.5, 3.5), (0.9, 6.9), (1, 9)]
        for (p, q) in expected { #expect(abs(s.quantile(p) - q) < 1e-12, "p = \(p)") }
        #expect(PredictiveSample(draws: [7]).centralInterval(0.95) == 7...7)
    }

    @Test("point scores record a hit exactly when lower <= y <= upper, also at the endpoints")
    func hitBoundaries() {
        let s = PredictiveSample(draws: (0...100).map(Double.init))
        // With 101 draws 0...100 the type-7 quantile is 100 p exactly: the 80% interval is [10, 90].
        let atEdge = PointScore(step: 1, observed: 90, sample: s)
        let outside = PointScore(step: 1, observed: 90.5, sample: s)
        #expect(atEdge.hit(level: 0.8) == true)
        #expect(outside.hit(level: 0.8) == false)
        #expect(outside.hit(level: 0.95) == true)
        #expect(atEdge.intervals.map(\.level) == CoverageLevels.protocolLevels)
    }
}

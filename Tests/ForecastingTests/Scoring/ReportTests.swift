import Foundation
import Testing
@testable import Forecasting

@Suite("back-test report")
struct ReportTests {
    /// A curve whose 80% interval is hit at the first `hits80` of `count` points (95% always
    /// hit, 50% never), with CRPS `crps` and log density `logDensity` at every point.
    static func curve(_ id: String, group: String, horizon: Double, count: Int, hits80: Int,
                      crps: Double, logDensity: Double, lastMedian: Double = 2.2) -> CurveScore {
        let points = (0..<count).map { i in
            PointScore(step: Double(100 + i), observed: 2, median: i == count - 1 ? lastMedian : 2,
                       intervals: [IntervalScore(level: 0.5, lower: 0, upper: 1, hit: false),
                                   IntervalScore(level: 0.8, lower: 0, upper: 3, hit: i < hits80),
                                   IntervalScore(level: 0.95, lower: 0, upper: 4, hit: true)],
                       crps: crps, logDensity: logDensity)
        }
        return CurveScore(curveID: id, group: group, horizon: horizon, cut: 99, fitPointCount: 20, points: points)
    }

    static var sample: BacktestReport {
        BacktestReport(
            forecaster: "test",
            curves: [curve("a", group: "g1", horizon: 3, count: 10, hits80: 8, crps: 0.1, logDensity: 1),
                     curve("b", group: "g2", horizon: 3, count: 2, hits80: 0, crps: 0.4, logDensity: -2, lastMedian: 1.9),
                     curve("c", group: "g1", horizon: 10, count: 4, hits80: 4, crps: 0.2, logDensity: -.infinity)],
            skipped: [SkippedCurve(curveID: "d", group: "g2", horizon: 10, reason: "too short")])
    }

    @Test("pooled coverage weighs points; the curve mean weighs curves; groups are separate")
    func pooling() throws {
        let r = Self.sample
        #expect(r.horizons.map(\.horizon) == [3, 10])
        let h3 = r.horizons[0]
        #expect(h3.curveCount == 2 && h3.pointCount == 12 && h3.skippedCount == 0)
        let c80 = try #require(h3.coverage.first { $0.level == 0.8 })
        #expect(c80.hits == 8 && c80.count == 12)
        #expect(abs(c80.pooled - 8.0 / 12) < 1e-15)       // not (0.8 + 0) / 2
        #expect(abs(c80.curveMean - 0.4) < 1e-15)
        #expect(h3.coverage.first { $0.level == 0.95 }?.pooled == 1)
        #expect(h3.coverage.first { $0.level == 0.5 }?.pooled == 0)
        // CRPS and log density pooled over the 12 points: (10 * 0.1 + 2 * 0.4) / 12.
        #expect(abs(h3.meanCRPS - 1.8 / 12) < 1e-15)
        #expect(abs(h3.meanLogDensity - (10.0 - 4) / 12) < 1e-15)
        // Final errors: |2.2 - 2| / 2 = 0.1 and |1.9 - 2| / 2 = 0.05; median of two = 0.075.
        #expect(abs(h3.medianFinalRelativeError - 0.075) < 1e-15)
        #expect(abs(h3.meanFinalAbsoluteError - 0.15) < 1e-15)
        #expect(h3.groups.map(\.group) == ["g1", "g2"])
        #expect(h3.groups[0].coverage.first { $0.level == 0.8 }?.fraction == 0.8)
        #expect(h3.groups[1].coverage.first { $0.level == 0.8 }?.fraction == 0)
        let h10 = r.horizons[1]
        #expect(h10.curveCount == 1 && h10.skippedCount == 1)
        #expect(h10.meanLogDensity == -.infinity)
    }

    @Test("the bootstrap over curves brackets the pooled value, is reproducible and resamples curves")
    func bootstrap() {
        // 20 curves of 10 points: 12 fully covered, 8 fully missed (pooled 0.6). Resampling
        // curves gives sd sqrt(0.24 / 20) = 0.11, so the 90% band is about 0.42-0.78;
        // resampling the 200 points as if independent would give 0.54-0.66.
        let curves = (0..<20).map { i in
            Self.curve("c\(i)", group: "g", horizon: 3, count: 10, hits80: i < 12 ? 10 : 0, crps: 0, logDensity: 0)
        }
        let a = HorizonSummary(horizon: 3, curves: curves, skippedCount: 0)
        let b = HorizonSummary(horizon: 3, curves: curves, skippedCount: 0)
        #expect(a == b)
        let c = a.coverage[1]
        #expect(abs(c.pooled - 0.6) < 1e-15)
        #expect(c.bootstrapLower < 0.5 && c.bootstrapLower > 0.3)
        #expect(c.bootstrapUpper > 0.7 && c.bootstrapUpper < 0.9)
        let other = HorizonSummary(horizon: 3, curves: curves, skippedCount: 0, bootstrapSeed: 99)
        // Another seed moves the bounds by Monte Carlo error only (2000 replicates: ~0.01).
        #expect(abs(other.coverage[1].bootstrapLower - c.bootstrapLower) < 0.06)
        #expect(abs(other.coverage[1].bootstrapUpper - c.bootstrapUpper) < 0.06)
    }

    @Test("JSON round trip, including -inf, with stable field names")
    func jsonRoundTrip() throws {
        let r = Self.sample
        let data = try r.jsonData()
        let back = try BacktestReport(jsonData: data)
        #expect(back == r)
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"forecaster\"", "\"horizons\"", "\"curves\"", "\"skipped\"", "\"bootstrapLower\"",
                    "\"pooled\"", "\"curveMean\"", "\"finalRelativeError\"", "\"logDensity\"", "\"intervals\"",
                    "\"medianFinalRelativeError\"", "\"meanCRPS\"", "\"-inf\""] {
            #expect(text.contains(key), "missing \(key)")
        }
    }

    @Test("the table has one row per horizon and per group")
    func table() {
        let t = Self.sample.table()
        let lines = t.split(separator: "\n")
        #expect(lines.count == 2 + 2 + 2 + 1)   // title, header, 3x + 2 groups, 10x + 1 group
        #expect(t.contains("3x") && t.contains("10x") && t.contains(".67 ["))
    }

    @Test("perCurve adds each group's curves under it, with their cut and coverage")
    func tablePerCurve() {
        let lines = Self.sample.table(perCurve: true).split(separator: "\n").map(String.init)
        #expect(lines.count == 7 + 3)
        // Under 3x: g1, then its curve a (8 of 10 in the 80% band), g2, then b (0 of 2).
        let g1 = lines.firstIndex { $0.hasPrefix("  g1") } ?? -1
        #expect(lines[g1 + 1].hasPrefix("    a ") && lines[g1 + 1].contains("c=99") && lines[g1 + 1].contains(" .80 "))
        let g2 = lines.firstIndex { $0.hasPrefix("  g2") } ?? -1
        #expect(lines[g2 + 1].hasPrefix("    b ") && lines[g2 + 1].contains(" .00 "))
        #expect(lines.last?.hasPrefix("    c ") == true)
    }
}

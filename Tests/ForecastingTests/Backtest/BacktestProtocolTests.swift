import Testing
@testable import Forecasting

@Suite("back-test protocol selection")
struct BacktestProtocolTests {
    /// Expected (horizon, cut, fit points, scored points, last scored step), worked out
    /// independently from the CSV files.
    static let gemstones: [(Double, Double, Int, Int, Double)] = [
        (3, 27666, 58, 116, 82998), (10, 8109, 17, 153, 81090), (30, 2385, 5, 145, 71550),
    ]
    static let zsl: [(Double, Double, Int, Int, Double)] = [
        (3, 87000, 348, 174, 261000), (10, 26000, 287, 234, 260000),
        (30, 8700, 258, 264, 261000), (100, 2600, 197, 324, 260000),
    ]

    static func check(_ curve: CurveFile, _ expected: [(Double, Double, Int, Int, Double)]) throws {
        let steps = curve.steps, last = steps[steps.count - 1]
        for (h, c, nFit, nScored, lastScored) in expected {
            let s = try #require(BacktestProtocol.split(steps: steps, horizon: h), "horizon \(h)")
            #expect(s.cut == c && s.fitCount == nFit && s.scoredCount == nScored, "horizon \(h): \(s)")
            #expect(steps[s.scored.upperBound - 1] == lastScored)
            // The defining properties: the cut qualifies, the next logged step does not, the fit
            // points are exactly the steps <= c, the scored ones exactly those in (c, h c].
            #expect(last / s.cut >= h)
            #expect(last / steps[s.fitCount] < h)
            #expect(steps[..<s.fitCount].allSatisfy { $0 <= s.cut })
            #expect(steps[s.scored].allSatisfy { $0 > s.cut && $0 <= h * s.cut })
            #expect(s.scored.upperBound == steps.count || steps[s.scored.upperBound] > h * s.cut)
        }
    }

    @Test("gemstones/constant/256x23 at 3x, 10x, 30x; skipped at 100x (one point before the cut)")
    func gemstonesCurve() throws {
        let curve = try CurveFile("gemstones/constant/256x23.csv")
        try Self.check(curve, Self.gemstones)
        #expect(BacktestProtocol.split(steps: curve.steps, horizon: 100) == nil)
        let reason = BacktestProtocol.selection(steps: curve.steps, horizon: 100)
        #expect(reason == .failure(.tooFewFitPoints(count: 1, minimum: BacktestProtocol.minimumFitPoints)))
    }

    @Test("zsl/14M at 3x, 10x, 30x and 100x")
    func zslCurve() throws {
        try Self.check(try CurveFile("zsl/14M.csv"), Self.zsl)
    }

    @Test("edge cases: exact ratio, too short, nothing to score")
    func edges() {
        // last / c == h exactly qualifies.
        let steps: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        let s = BacktestProtocol.split(steps: steps, horizon: 3)
        #expect(s?.cut == 5 && s?.fitCount == 5 && s?.scored == 5..<15)
        #expect(BacktestProtocol.selection(steps: [10, 20, 25], horizon: 3)
                == .failure(.tooShort(firstStep: 10, lastStep: 25, horizon: 3)))
        // A gap after the cut: the next logged step is beyond h c.
        let gap: [Double] = [1, 2, 3, 4, 5, 100]
        #expect(BacktestProtocol.selection(steps: gap, horizon: 10) == .failure(.nothingToScore(cut: 5)))
        // A lower minimum admits the short prefix.
        #expect(BacktestProtocol.split(steps: steps, horizon: 5, minimumFitPoints: 3)?.cut == 3)
        #expect(BacktestProtocol.split(steps: steps, horizon: 5) == nil)
    }
}

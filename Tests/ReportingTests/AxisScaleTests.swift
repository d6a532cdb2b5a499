import Foundation
import Testing
@testable import Reporting

@Suite("Axis scales and labels")
struct AxisScaleTests {
    @Test("pixels: ends map to the pixel range, log axes are linear in log10")
    func pixels() {
        let log = AxisScale(kind: .log, lower: 10, upper: 1000, start: 100, end: 300)
        #expect(log.pixel(10) == 100 && log.pixel(1000) == 300)
        #expect(abs(log.pixel(100) - 200) < 1e-12)
        let flipped = AxisScale(kind: .linear, lower: 0, upper: 4, start: 400, end: 0)
        #expect(flipped.pixel(1) == 300)
    }

    @Test("ticks: decades with 1-2-5, linear nice steps, a narrow log range gets linear ticks")
    func ticks() {
        let wide = AxisScale(kind: .log, lower: 400, upper: 200_000, start: 0, end: 800)
        #expect(wide.ticks(target: 8) == [500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000])
        let many = AxisScale(kind: .log, lower: 1, upper: 1e9, start: 0, end: 800)
        #expect(many.ticks(target: 6) == [1, 100, 10_000, 1e6, 1e8])
        let narrow = AxisScale(kind: .log, lower: 3.3, upper: 4.45, start: 0, end: 300)
        #expect(narrow.ticks(target: 6) == [3.4, 3.6, 3.8, 4.0, 4.2, 4.4])
        let linear = AxisScale(kind: .linear, lower: 0, upper: 0.00033, start: 0, end: 100)
        #expect(linear.ticks(target: 3) == [0, 0.0001, 0.0002, 0.0003])
    }

    @Test("labels: short steps, fewest exact decimals, scientific for tiny values")
    func labels() {
        #expect([500, 1000, 2500, 20_000, 1_500_000].map(ReportNumberFormat.step) == ["500", "1k", "2.5k", "20k", "1.5M"])
        #expect(ReportNumberFormat.ticks([3.4, 3.6, 4.0]) == ["3.4", "3.6", "4.0"])
        #expect(ReportNumberFormat.ticks([2, 3, 5]) == ["2", "3", "5"])
        #expect(ReportNumberFormat.ticks([0, 0.0001, 0.0002]) == ["0", "1e-4", "2e-4"])
        #expect(ReportNumberFormat.wholeStep(166_950) == "166,950")
        #expect(ReportNumberFormat.percent(0.004) == "<1%" && ReportNumberFormat.percent(0.42) == "42%")
    }

    @Test("P(beat target): the share of draws below (minimize) or above (maximize)")
    func probability() {
        let draws = [1.0, 2, 3, 4]
        #expect(ReportRun.probability(draws: draws, beating: 2.5, direction: .minimize) == 0.5)
        #expect(ReportRun.probability(draws: draws, beating: 3.5, direction: .maximize) == 0.25)
        #expect(ReportRun.probability(draws: [], beating: 1, direction: .minimize) == nil)
        #expect(ReportBand.requiredLevels == [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975])
    }
}

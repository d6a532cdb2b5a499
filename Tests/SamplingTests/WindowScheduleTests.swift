import Testing
@testable import Sampling

@Suite("Warmup window schedule")
struct WindowScheduleTests {
    @Test("Stan's metric updates for W = 1000, 500, 200, 150", arguments: [
        (1000, [99, 149, 249, 449, 949]),
        (500, [99, 149, 249, 449]),
        (200, [99, 149]),
        (150, [99]),
    ])
    func referenceSchedules(warmup: Int, expected: [Int]) {
        let s = WindowSchedule(numWarmup: warmup)
        #expect(s.metricUpdates == expected)
        #expect(s.collectionRange == 75..<(warmup - 50))
        #expect(s.collects(at: 75) && !s.collects(at: 74) && !s.collects(at: warmup - 50))
        #expect(s.updatesMetric(at: 99) && !s.updatesMetric(at: 100))
    }

    @Test("the last window is stretched to the terminal buffer")
    func stretching() {
        // W = 300: windows end at 99, 149, then 149 + 100 = 249 = W - 50 - 1 exactly.
        #expect(WindowSchedule(numWarmup: 300).metricUpdates == [99, 149, 249])
        // W = 400: 249 + 2*100 = 449 >= 350, so the third window is stretched to 349.
        #expect(WindowSchedule(numWarmup: 400).metricUpdates == [99, 149, 349])
        // Custom buffers.
        #expect(WindowSchedule(numWarmup: 100, initBuffer: 10, termBuffer: 10, baseWindow: 10).metricUpdates
                == [19, 39, 89])
    }

    @Test("small warmups adapt no metric (Stan: W < 20, and W < init + base + term never restarts)")
    func smallWarmups() {
        for w in [0, 10, 19, 20, 100, 149] {
            let s = WindowSchedule(numWarmup: w)
            #expect(s.metricUpdates.isEmpty, "W = \(w)")
            #expect(!s.collects(at: 80))
        }
    }
}

/// Stan's windowed warmup schedule, as a pure value (Stan `mcmc/windowed_adaptation.hpp`).
///
/// Warmup = an initial fast buffer (step size only, 75), a series of slow windows (25, 50,
/// 100, ... draws) at the end of which the metric is re-estimated, and a terminal fast buffer
/// (50). Window k+1 is twice window k, and a window that would leave less than twice its own size
/// before the terminal buffer is stretched to reach it. For W = 1000 the metric is replaced at
/// warmup iterations 99, 149, 249, 449, 949 (0-based).
///
/// Small warmups follow Stan literally: W < 20 adapts no metric; if init + base + term > W
/// Stan's `set_window_params` rescales the buffers to 15% / 75% / 10% but returns before
/// `restart()`, so the end of the first window stays at its constructor value (unsigned -1)
/// and the metric is never updated either (NUTS_NOTES.md section 4). With the default buffers
/// this means no metric adaptation for W < 150; only the step size adapts there.
public struct WindowSchedule: Sendable, Equatable {
    public static let defaultInitBuffer = 75
    public static let defaultTermBuffer = 50
    public static let defaultBaseWindow = 25

    public let numWarmup: Int
    public let initBuffer: Int
    public let termBuffer: Int
    public let baseWindow: Int
    /// The 0-based warmup iterations after which the metric is re-estimated, increasing.
    public let metricUpdates: [Int]
    /// Draws at iterations in this range are fed to the metric estimator (empty when the metric
    /// is never updated).
    public let collectionRange: Range<Int>

    public init(numWarmup: Int, initBuffer: Int = defaultInitBuffer, termBuffer: Int = defaultTermBuffer,
                baseWindow: Int = defaultBaseWindow) {
        precondition(numWarmup >= 0 && initBuffer >= 0 && termBuffer >= 0 && baseWindow >= 0,
                     "WindowSchedule: negative size")
        self.numWarmup = numWarmup
        self.initBuffer = initBuffer
        self.termBuffer = termBuffer
        self.baseWindow = baseWindow
        if numWarmup < 20 || initBuffer + baseWindow + termBuffer > numWarmup {
            metricUpdates = []
            collectionRange = 0..<0
            return
        }
        // Transliteration of adaptation_window / end_adaptation_window / compute_next_window.
        let lastWindowEnd = numWarmup - termBuffer - 1
        var windowSize = baseWindow
        var nextWindow = initBuffer + windowSize - 1
        var updates: [Int] = []
        for counter in 0..<numWarmup where counter == nextWindow {
            updates.append(counter)
            if nextWindow == lastWindowEnd { break }
            windowSize *= 2
            nextWindow = counter + windowSize
            if nextWindow != lastWindowEnd && nextWindow + 2 * windowSize >= numWarmup - termBuffer {
                nextWindow = lastWindowEnd
            }
        }
        metricUpdates = updates
        collectionRange = initBuffer..<(numWarmup - termBuffer)
    }

    /// Whether the draw of warmup iteration `i` feeds the metric estimator.
    public func collects(at i: Int) -> Bool { !metricUpdates.isEmpty && collectionRange.contains(i) }

    /// Whether the metric is re-estimated after warmup iteration `i`.
    public func updatesMetric(at i: Int) -> Bool { metricUpdates.contains(i) }
}

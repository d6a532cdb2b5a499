import Foundation

/// Wall-clock measurement for the benchmarks: the median over batches of the mean time per call.
///
/// Medians are robust to the other processes on a shared machine; every figure the benchmarks
/// report is compared with a baseline measured in the same run, never with a stored number.
enum Timing {
    /// Median nanoseconds per call of `body`, over `batches` batches of `callsPerBatch` calls.
    static func nanosecondsPerCall(batches: Int = 31, callsPerBatch: Int, _ body: () -> Void) -> Double {
        for _ in 0..<max(1, callsPerBatch / 4) { body() } // warm caches and branch predictors
        var perCall: [Double] = []
        perCall.reserveCapacity(batches)
        for _ in 0..<batches {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<callsPerBatch { body() }
            let end = DispatchTime.now().uptimeNanoseconds
            perCall.append(Double(end - start) / Double(callsPerBatch))
        }
        perCall.sort()
        return perCall[perCall.count / 2]
    }

    /// Seconds of wall time for one run of `body`.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// Keeps a value alive so the optimizer cannot delete the computation that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

func format(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

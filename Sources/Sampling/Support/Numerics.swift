import Foundation

/// Scalar helpers shared by the sampler (thin wrappers so the hot files need not import Foundation).
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
@inline(__always) func _log1p(_ x: Double) -> Double { Foundation.log1p(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }

/// log(e^a + e^b), computed as max + log1p(e^(min - max)) so that neither exponential overflows
/// and the small term is not lost; the same branches as Stan Math's `log_sum_exp(double, double)`:
/// log_sum_exp(-inf, b) = b exactly (so the accumulator starting at -inf is exact), and
/// log_sum_exp(inf, inf) = inf (instead of inf - inf = NaN).
func logSumExp(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if a == .infinity && b == .infinity { return .infinity }
    if a > b { return a + _log1p(_exp(b - a)) }
    return b + _log1p(_exp(a - b))
}

/// a . b over n elements, accumulated in four lanes combined as (s0 + s1) + (s2 + s3), then the
/// tail in order.
///
/// Deliberately not BLAS: the summation order is fixed here, so results are bit-identical on
/// every machine and OpenBLAS thread count, and the fast sampler and the test oracle (which
/// both call this) reach bit-identical U-turn decisions. Four independent accumulators hide the
/// floating-point add latency (about 4x faster than one running sum); the rounding error bound
/// is the usual O(n u) of recursive summation.
func sequentialDot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var i = 0
    while i + 4 <= n {
        s0 += a[i] * b[i]
        s1 += a[i + 1] * b[i + 1]
        s2 += a[i + 2] * b[i + 2]
        s3 += a[i + 3] * b[i + 3]
        i += 4
    }
    var s = (s0 + s1) + (s2 + s3)
    while i < n {
        s += a[i] * b[i]
        i += 1
    }
    return s
}

/// a . b over arrays, in exactly the same order as the pointer form.
func sequentialDot(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "sequentialDot: \(a.count) vs \(b.count) elements")
    return a.withUnsafeBufferPointer { x in
        b.withUnsafeBufferPointer { y in sequentialDot(x.baseAddress!, y.baseAddress!, a.count) }
    }
}

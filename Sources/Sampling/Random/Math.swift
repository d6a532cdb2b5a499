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

/// a . b over n elements, summed left to right.
///
/// Deliberately a plain sequential loop (not BLAS): the fast sampler and the test oracle must
/// produce bit-identical U-turn decisions, and a fixed summation order guarantees it.
func sequentialDot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s = 0.0
    for i in 0..<n { s += a[i] * b[i] }
    return s
}

/// a . b over arrays, in the same order as the pointer form.
func sequentialDot(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "sequentialDot: \(a.count) vs \(b.count) elements")
    var s = 0.0
    for i in 0..<a.count { s += a[i] * b[i] }
    return s
}

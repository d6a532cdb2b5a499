import CKernels
import Foundation

/// Vectorized elementwise transcendental functions over contiguous buffers.
///
/// The buffer kernels are the C loops of `CKernels` (polynomial exp/log with Cody-Waite reduction,
/// fdlibm's log, `log1p` via the `log(u) - ((u-1)-x)/u` correction), compiled so that clang
/// vectorizes them, with an AVX2+FMA variant picked at load time. `curvecast-bench gradient`
/// measures them against a plain Swift loop calling Foundation in the same run; the kernels are
/// 3-5x faster there, which is why the hot paths use them. Accuracy: <= 2 ulp (tested).
///
/// Each `y` may alias its `x` (every output element depends only on the same input element).
public enum Elementwise {
    /// y[i] = exp(x[i]).
    @inlinable
    public static func exp(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        check("exp", x.count, y.count)
        cc_vexp(x.baseAddress, y.baseAddress, x.count)
    }

    /// y[i] = exp(b * x[i]): the power kernel a^b = exp(b log a) when log a is precomputed data.
    @inlinable
    public static func expScaled(_ x: UnsafeBufferPointer<Double>, by b: Double, into y: UnsafeMutableBufferPointer<Double>) {
        check("expScaled", x.count, y.count)
        cc_vexp_scaled(x.baseAddress, b, y.baseAddress, x.count)
    }

    /// y[i] = log(x[i]) (log 0 = -inf, log of a negative number = NaN).
    @inlinable
    public static func log(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        check("log", x.count, y.count)
        cc_vlog(x.baseAddress, y.baseAddress, x.count)
    }

    /// y[i] = log(1 + x[i]), accurate for |x| << 1.
    @inlinable
    public static func log1p(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        check("log1p", x.count, y.count)
        cc_vlog1p(x.baseAddress, y.baseAddress, x.count)
    }

    /// y[i] = a[i]^b[i] = exp(b log a) for a > 0 (0^b is 0 for b > 0, inf for b < 0).
    /// The relative error grows like |b log a| ulp, as for any exp(b log a) evaluation.
    @inlinable
    public static func pow(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>,
                           into y: UnsafeMutableBufferPointer<Double>) {
        check("pow", a.count, y.count)
        check("pow", b.count, y.count)
        cc_vpow(a.baseAddress, b.baseAddress, y.baseAddress, a.count)
    }

    /// y[i] = softplus(x[i]) = log(1 + e^x), evaluated as max(x, 0) + log1p(e^-|x|) so that it
    /// neither overflows for large x nor loses the tiny value e^x for very negative x.
    @inlinable
    public static func softplus(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        check("softplus", x.count, y.count)
        cc_vsoftplus(x.baseAddress, y.baseAddress, x.count)
    }

    /// y[i] = 1 / (1 + e^-x[i]) (the derivative of softplus), from e^-|x| so nothing overflows.
    @inlinable
    public static func sigmoid(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        check("sigmoid", x.count, y.count)
        cc_vsigmoid(x.baseAddress, y.baseAddress, x.count)
    }

    /// Whether the AVX2+FMA variants of the kernels are in use on this CPU.
    public static var usesAVX2: Bool { cc_kernels_use_avx2() != 0 }

    @usableFromInline
    static func check(_ name: String, _ n: Int, _ m: Int) {
        precondition(n == m, "Elementwise.\(name): input has \(n) elements, output has \(m)")
    }

    // MARK: scalar forms (the same functions on one value, from the C library)

    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
    @inlinable public static func pow(_ a: Double, _ b: Double) -> Double { Foundation.pow(a, b) }

    /// softplus(x) = max(x, 0) + log1p(e^-|x|) (stable for every x).
    @inlinable public static func softplus(_ x: Double) -> Double {
        Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
    }

    /// sigmoid(x) = 1 / (1 + e^-x), from e^-|x| so that neither branch overflows.
    @inlinable public static func sigmoid(_ x: Double) -> Double {
        let e = Foundation.exp(-Swift.abs(x))
        return x >= 0 ? 1 / (1 + e) : e / (1 + e)
    }
}

extension Elementwise {
    /// Array conveniences for callers off the hot path.
    public static func exp(_ x: [Double]) -> [Double] { apply(x) { exp($0, into: $1) } }
    public static func log(_ x: [Double]) -> [Double] { apply(x) { log($0, into: $1) } }
    public static func log1p(_ x: [Double]) -> [Double] { apply(x) { log1p($0, into: $1) } }
    public static func softplus(_ x: [Double]) -> [Double] { apply(x) { softplus($0, into: $1) } }
    public static func sigmoid(_ x: [Double]) -> [Double] { apply(x) { sigmoid($0, into: $1) } }
    public static func pow(_ a: [Double], _ b: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: a.count)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in y.withUnsafeMutableBufferPointer { pow(ap, bp, into: $0) } }
        }
        return y
    }

    private static func apply(_ x: [Double], _ f: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { f(xp, $0) } }
        return y
    }
}

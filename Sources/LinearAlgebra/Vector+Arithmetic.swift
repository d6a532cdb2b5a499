/// Plain elementwise arithmetic over contiguous buffers (the compiler vectorizes these loops).
/// Used by the autodiff tape's vector nodes; sizes are validated like the BLAS wrappers.
public enum VectorOps {
    /// sum of x (SIMD lanes, see `sum(_:_:)`).
    @inlinable
    public static func sum(_ x: UnsafeBufferPointer<Double>) -> Double {
        guard let base = x.baseAddress else { return 0 }
        return sum(base, x.count)
    }
}

extension VectorOps {
    /// sum_i p_i q_i, in SIMD lanes (Swift does not reassociate floating-point sums on its own,
    /// so a plain loop would stay scalar; the explicit lanes change the rounding only within the
    /// usual O(n eps) bound of recursive summation).
    @inlinable
    public static func dot(_ p: UnsafePointer<Double>, _ q: UnsafePointer<Double>, _ n: Int) -> Double {
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var i = 0
        let rp = UnsafeRawPointer(p), rq = UnsafeRawPointer(q)
        while i + 8 <= n {
            acc0 += rp.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
                * rq.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            acc1 += rp.loadUnaligned(fromByteOffset: (i + 4) * 8, as: SIMD4<Double>.self)
                * rq.loadUnaligned(fromByteOffset: (i + 4) * 8, as: SIMD4<Double>.self)
            i += 8
        }
        var s = (acc0 + acc1).sum()
        while i < n { s += p[i] * q[i]; i += 1 }
        return s
    }

    /// sum_i p_i q_i r_i, in SIMD lanes.
    @inlinable
    public static func dot(_ p: UnsafePointer<Double>, _ q: UnsafePointer<Double>, _ r: UnsafePointer<Double>,
                           _ n: Int) -> Double {
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var i = 0
        let rp = UnsafeRawPointer(p), rq = UnsafeRawPointer(q), rr = UnsafeRawPointer(r)
        typealias V = SIMD4<Double>
        while i + 8 <= n {
            let p0: V = rp.loadUnaligned(fromByteOffset: i * 8, as: V.self)
            let q0: V = rq.loadUnaligned(fromByteOffset: i * 8, as: V.self)
            let r0: V = rr.loadUnaligned(fromByteOffset: i * 8, as: V.self)
            let p1: V = rp.loadUnaligned(fromByteOffset: (i + 4) * 8, as: V.self)
            let q1: V = rq.loadUnaligned(fromByteOffset: (i + 4) * 8, as: V.self)
            let r1: V = rr.loadUnaligned(fromByteOffset: (i + 4) * 8, as: V.self)
            acc0 += p0 * q0 * r0
            acc1 += p1 * q1 * r1
            i += 8
        }
        var s = (acc0 + acc1).sum()
        while i < n { s += p[i] * q[i] * r[i]; i += 1 }
        return s
    }

    /// sum_i p_i, in SIMD lanes.
    @inlinable
    public static func sum(_ p: UnsafePointer<Double>, _ n: Int) -> Double {
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var i = 0
        let rp = UnsafeRawPointer(p)
        while i + 8 <= n {
            acc0 += rp.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            acc1 += rp.loadUnaligned(fromByteOffset: (i + 4) * 8, as: SIMD4<Double>.self)
            i += 8
        }
        var s = (acc0 + acc1).sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }
}

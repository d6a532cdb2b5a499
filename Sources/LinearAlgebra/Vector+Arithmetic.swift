/// Plain elementwise arithmetic over contiguous buffers (the compiler vectorizes these loops).
/// Used by the autodiff tape's vector nodes; sizes are validated like the BLAS wrappers.
public enum VectorOps {
    /// sum of x, accumulated in four lanes (reassociation lets the loop vectorize; the error
    /// bound is the usual O(n eps) of recursive summation).
    @inlinable
    public static func sum(_ x: UnsafeBufferPointer<Double>) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        let n = x.count
        var i = 0
        while i + 4 <= n {
            s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3]
            i += 4
        }
        while i < n { s0 += x[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }
}

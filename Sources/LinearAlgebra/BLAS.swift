import COpenBLAS

/// Checked wrappers around the level-1/2/3 BLAS routines curvecast uses (OpenBLAS, CBLAS interface).
///
/// Every wrapper validates the sizes of its arguments with a `precondition` whose message names the
/// routine and the mismatching sizes, then calls CBLAS on the contiguous storage (stride 1).
/// Sizes of 0 are valid and do nothing (or return 0).
public enum BLAS {
    /// x . y  (`cblas_ddot`).
    @inlinable
    public static func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == y.count, "BLAS.dot: x has \(x.count) elements, y has \(y.count)")
        if x.isEmpty { return 0 }
        return cblas_ddot(blasint(x.count), x.baseAddress, 1, y.baseAddress, 1)
    }

    /// x . y over arrays.
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in dot(xp, yp) } }
    }

    /// y <- alpha x + y  (`cblas_daxpy`).
    @inlinable
    public static func axpy(_ alpha: Double, _ x: UnsafeBufferPointer<Double>, _ y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == y.count, "BLAS.axpy: x has \(x.count) elements, y has \(y.count)")
        if x.isEmpty { return }
        cblas_daxpy(blasint(x.count), alpha, x.baseAddress, 1, y.baseAddress, 1)
    }

    /// y <- alpha x + y over arrays.
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in axpy(alpha, xp, yp) } }
    }

    /// x <- alpha x  (`cblas_dscal`).
    @inlinable
    public static func scal(_ alpha: Double, _ x: UnsafeMutableBufferPointer<Double>) {
        if x.isEmpty { return }
        cblas_dscal(blasint(x.count), alpha, x.baseAddress, 1)
    }

    /// x <- alpha x over an array.
    public static func scal(_ alpha: Double, _ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { scal(alpha, $0) }
    }

    /// y <- alpha op(A) x + beta y with A row-major `rows x columns`, op = transpose when
    /// `transpose` is true (`cblas_dgemv`).
    @inlinable
    public static func gemv(
        transpose: Bool = false, rows: Int, columns: Int, alpha: Double = 1,
        _ a: UnsafeBufferPointer<Double>, _ x: UnsafeBufferPointer<Double>,
        beta: Double = 0, _ y: UnsafeMutableBufferPointer<Double>
    ) {
        precondition(rows >= 0 && columns >= 0, "BLAS.gemv: negative size \(rows) x \(columns)")
        precondition(a.count == rows * columns, "BLAS.gemv: A has \(a.count) elements, expected \(rows) x \(columns)")
        let (nx, ny) = transpose ? (rows, columns) : (columns, rows)
        precondition(x.count == nx, "BLAS.gemv: x has \(x.count) elements, op(A) needs \(nx)")
        precondition(y.count == ny, "BLAS.gemv: y has \(y.count) elements, op(A) gives \(ny)")
        if ny == 0 { return }
        if nx == 0 { scal(beta, y); return }
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, blasint(rows), blasint(columns),
                    alpha, a.baseAddress, blasint(max(columns, 1)), x.baseAddress, 1, beta, y.baseAddress, 1)
    }

    /// y <- alpha A x + beta y for the `rows` x `columns` block of a row-major matrix whose rows are
    /// `leadingDimension` elements apart (a left block of a wider matrix: its first `columns`
    /// columns), `cblas_dgemv` with lda = leadingDimension.
    public static func gemv(
        rows: Int, columns: Int, leadingDimension: Int, alpha: Double = 1,
        _ a: UnsafePointer<Double>, _ x: UnsafeBufferPointer<Double>,
        beta: Double = 0, _ y: UnsafeMutableBufferPointer<Double>
    ) {
        precondition(rows >= 0 && columns >= 0 && leadingDimension >= max(columns, 1),
                     "BLAS.gemv: block \(rows) x \(columns) with leading dimension \(leadingDimension)")
        precondition(x.count >= columns && y.count >= rows, "BLAS.gemv: x has \(x.count), y \(y.count) elements for a \(rows) x \(columns) block")
        if rows == 0 { return }
        if columns == 0 { scal(beta, UnsafeMutableBufferPointer(rebasing: y[0..<rows])); return }
        cblas_dgemv(CblasRowMajor, CblasNoTrans, blasint(rows), blasint(columns), alpha, a, blasint(leadingDimension),
                    x.baseAddress, 1, beta, y.baseAddress, 1)
    }

    /// A x (or A' x) for a `Matrix`, as a new array.
    public static func gemv(transpose: Bool = false, _ a: Matrix, _ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: transpose ? a.columns : a.rows)
        a.storage.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    gemv(transpose: transpose, rows: a.rows, columns: a.columns, ap, xp, yp)
                }
            }
        }
        return y
    }

    /// C <- alpha op(A) op(B) + beta C, all row-major (`cblas_dgemm`).
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, alpha: Double = 1,
        _ a: Matrix, _ b: Matrix, beta: Double = 0, _ c: inout Matrix
    ) {
        let (m, ka) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(ka == kb, "BLAS.gemm: op(A) is \(m) x \(ka) but op(B) is \(kb) x \(n)")
        precondition(c.rows == m && c.columns == n, "BLAS.gemm: C is \(c.rows) x \(c.columns), expected \(m) x \(n)")
        if m == 0 || n == 0 { return }
        if ka == 0 { scal(beta, &c.storage); return }
        let cols = c.columns
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                                transposeB ? CblasTrans : CblasNoTrans,
                                blasint(m), blasint(n), blasint(ka), alpha,
                                ap.baseAddress, blasint(max(a.columns, 1)),
                                bp.baseAddress, blasint(max(b.columns, 1)),
                                beta, cp.baseAddress, blasint(max(cols, 1)))
                }
            }
        }
    }

    /// op(A) op(B) as a new matrix.
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false, _ a: Matrix, _ b: Matrix) -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let n = transposeB ? b.rows : b.columns
        var c = Matrix(rows: m, columns: n)
        gemm(transposeA: transposeA, transposeB: transposeB, a, b, &c)
        return c
    }
}

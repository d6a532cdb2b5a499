import COpenBLAS

/// The Cholesky factor L of a symmetric positive-definite matrix A = L L' (LAPACKE `dpotrf`),
/// with the triangular solves built on it (`cblas_dtrsv`).
///
/// Only the lower triangle of A is read. The factor is stored row-major with zeros above the
/// diagonal, so `factor` is itself a valid lower-triangular `Matrix`.
public struct Cholesky: Sendable {
    /// L, lower triangular, row-major.
    public let factor: Matrix

    /// Why a factorization failed.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The leading minor of this order (1-based) is not positive: A is not positive definite.
        case notPositiveDefinite(order: Int)
        /// LAPACK reported an invalid argument (a bug in the wrapper, reported with the code).
        case lapackError(code: Int)

        public var description: String {
            switch self {
            case .notPositiveDefinite(let k):
                return "Cholesky: the matrix is not positive definite (leading minor of order \(k) is not positive); regularize it, e.g. add a multiple of the identity"
            case .lapackError(let c): return "Cholesky: LAPACKE_dpotrf rejected argument \(-c)"
            }
        }
    }

    /// Factors a square matrix. Throws `Failure.notPositiveDefinite` instead of returning garbage.
    public init(_ a: Matrix) throws(Failure) {
        precondition(a.rows == a.columns, "Cholesky: the matrix is \(a.rows) x \(a.columns), not square")
        let n = a.rows
        var l = a
        if n > 0 {
            let info = l.storage.withUnsafeMutableBufferPointer { p in
                LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), p.baseAddress, Int32(n))
            }
            if info > 0 { throw .notPositiveDefinite(order: Int(info)) }
            if info < 0 { throw .lapackError(code: Int(info)) }
            for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { l.storage[i * n + j] = 0 } }
        }
        factor = l
    }

    public var dimension: Int { factor.rows }

    /// Solves L x = b in place (`cblas_dtrsv`, lower, no transpose).
    public func solveLower(_ b: inout [Double]) { trsv(transpose: false, &b) }

    /// Solves L' x = b in place (`cblas_dtrsv`, lower, transpose).
    public func solveUpper(_ b: inout [Double]) { trsv(transpose: true, &b) }

    /// Solves A x = b, i.e. L L' x = b, in place.
    public func solve(_ b: inout [Double]) {
        solveLower(&b)
        solveUpper(&b)
    }

    /// L x, as a new array (`cblas_dtrmv`).
    public func multiplyLower(_ x: [Double]) -> [Double] { trmv(transpose: false, x) }

    /// L' x, as a new array.
    public func multiplyUpper(_ x: [Double]) -> [Double] { trmv(transpose: true, x) }

    /// log det A = 2 sum log L_ii.
    public var logDeterminant: Double {
        var s = 0.0
        for i in 0..<dimension { s += _math_log(factor.storage[i * dimension + i]) }
        return 2 * s
    }

    private func trsv(transpose: Bool, _ b: inout [Double]) {
        let n = dimension
        precondition(b.count == n, "Cholesky.solve: right-hand side has \(b.count) elements, the factor is \(n) x \(n)")
        if n == 0 { return }
        factor.storage.withUnsafeBufferPointer { lp in
            b.withUnsafeMutableBufferPointer { bp in
                cblas_dtrsv(CblasRowMajor, CblasLower, transpose ? CblasTrans : CblasNoTrans, CblasNonUnit,
                            blasint(n), lp.baseAddress, blasint(n), bp.baseAddress, 1)
            }
        }
    }

    private func trmv(transpose: Bool, _ x: [Double]) -> [Double] {
        let n = dimension
        precondition(x.count == n, "Cholesky.multiply: vector has \(x.count) elements, the factor is \(n) x \(n)")
        var y = x
        if n == 0 { return y }
        factor.storage.withUnsafeBufferPointer { lp in
            y.withUnsafeMutableBufferPointer { yp in
                cblas_dtrmv(CblasRowMajor, CblasLower, transpose ? CblasTrans : CblasNoTrans, CblasNonUnit,
                            blasint(n), lp.baseAddress, blasint(n), yp.baseAddress, 1)
            }
        }
        return y
    }
}

@inline(__always) private func _math_log(_ x: Double) -> Double { Elementwise.log(x) }

import LinearAlgebra

/// The Euclidean metric of HMC: the inverse mass matrix M^-1, diagonal or dense.
///
/// Kinetic energy and its momentum gradient (Betancourt 2017, "A conceptual introduction to
/// Hamiltonian Monte Carlo", section 4.2; Stan `hamiltonians/diag_e_metric.hpp`,
/// `dense_e_metric.hpp`):
/// ```
/// T(p) = 0.5 p' M^-1 p,      p# = dT/dp = M^-1 p,      p ~ N(0, M)
/// ```
/// Momentum draws: diagonal, p_i = z_i / sqrt(M^-1_ii); dense, with M^-1 = L L' (Cholesky),
/// p = L'^-1 z, whose covariance is L'^-1 L^-1 = (L L')^-1 = M, as Stan's
/// `inv_e_metric_.llt().matrixU().solve(u)`.
public struct Metric: Sendable {
    /// Which family of metric.
    public enum Kind: String, Sendable, Codable {
        case diagonal
        case dense
    }

    public let kind: Kind
    public let dimension: Int
    /// Diagonal: the d diagonal entries of M^-1. Dense: M^-1 row-major, d x d.
    public let inverseMassStorage: [Double]
    /// Dense only: the Cholesky factor of M^-1.
    let inverseMassCholesky: Cholesky?

    /// Why a metric cannot be built.
    public enum Failure: Error, CustomStringConvertible {
        case nonPositiveVariance(index: Int, value: Double)
        case notPositiveDefinite(Cholesky.Failure)

        public var description: String {
            switch self {
            case .nonPositiveVariance(let i, let v):
                return "Metric: inverse mass entry \(i) is \(v); it must be finite and positive"
            case .notPositiveDefinite(let f):
                return "Metric: the dense inverse mass matrix is not positive definite (\(f))"
            }
        }
    }

    /// The identity metric (Stan's default before adaptation).
    public static func unit(dimension: Int, kind: Kind = .diagonal) -> Metric {
        switch kind {
        case .diagonal: return Metric(uncheckedDiagonal: Array(repeating: 1, count: dimension))
        case .dense: return try! Metric(denseInverseMass: .identity(dimension))
        }
    }

    /// A diagonal metric from the diagonal of M^-1 (posterior variances after adaptation).
    public init(diagonalInverseMass: [Double]) throws(Failure) {
        for (i, v) in diagonalInverseMass.enumerated() where !(v > 0 && v.isFinite) {
            throw .nonPositiveVariance(index: i, value: v)
        }
        self.init(uncheckedDiagonal: diagonalInverseMass)
    }

    init(uncheckedDiagonal: [Double]) {
        kind = .diagonal
        dimension = uncheckedDiagonal.count
        inverseMassStorage = uncheckedDiagonal
        inverseMassCholesky = nil
    }

    /// A dense metric from M^-1 (a posterior covariance after adaptation); factored once here.
    public init(denseInverseMass: Matrix) throws(Failure) {
        precondition(denseInverseMass.rows == denseInverseMass.columns,
                     "Metric: dense inverse mass is \(denseInverseMass.rows) x \(denseInverseMass.columns)")
        do {
            inverseMassCholesky = try Cholesky(denseInverseMass)
        } catch {
            throw .notPositiveDefinite(error)
        }
        kind = .dense
        dimension = denseInverseMass.rows
        inverseMassStorage = denseInverseMass.storage
    }

    /// M^-1 as a full matrix (diagonal metrics are expanded).
    public var inverseMass: Matrix {
        switch kind {
        case .dense: return Matrix(rows: dimension, columns: dimension, rowMajor: inverseMassStorage)
        case .diagonal:
            var m = Matrix(rows: dimension, columns: dimension)
            for i in 0..<dimension { m.storage[i * dimension + i] = inverseMassStorage[i] }
            return m
        }
    }

    /// The diagonal of M^-1 (the adapted variances).
    public var inverseMassDiagonal: [Double] {
        switch kind {
        case .diagonal: return inverseMassStorage
        case .dense: return (0..<dimension).map { inverseMassStorage[$0 * dimension + $0] }
        }
    }

    // MARK: hot-path operations (no allocation)

    /// p# = M^-1 p written into `sharp` (diagonal: elementwise product; dense: row-by-row dot
    /// products).
    ///
    /// The dense product is a plain loop rather than `BLAS.gemv` on purpose: its summation order
    /// is fixed, so draws are bit-reproducible whatever OpenBLAS's thread count, and OpenBLAS
    /// cannot spawn threads inside a chain that already runs on its own core. The dimensions
    /// curvecast samples (a handful of parameters) are far below where BLAS would pay off.
    func sharp(_ p: [Double], into sharp: inout [Double]) {
        let n = dimension
        switch kind {
        case .diagonal:
            for i in 0..<n { sharp[i] = inverseMassStorage[i] * p[i] }
        case .dense:
            inverseMassStorage.withUnsafeBufferPointer { a in
                p.withUnsafeBufferPointer { x in
                    sharp.withUnsafeMutableBufferPointer { y in
                        for i in 0..<n { y[i] = sequentialDot(a.baseAddress! + i * n, x.baseAddress!, n) }
                    }
                }
            }
        }
    }

    /// T = 0.5 p . p#, given p# = M^-1 p already computed (one dot product, no second M^-1 p).
    func kineticEnergy(_ p: [Double], sharp: [Double]) -> Double {
        0.5 * sequentialDot(p, sharp)
    }

    /// Draws p ~ N(0, M) into `p` (consumes `dimension` standard normals, in index order).
    func drawMomentum(into p: inout [Double], using rng: inout Xoshiro256StarStar) {
        switch kind {
        case .diagonal:
            for i in 0..<dimension { p[i] = rng.standardNormal() / inverseMassStorage[i].squareRoot() }
        case .dense:
            for i in 0..<dimension { p[i] = rng.standardNormal() }
            // p = L'^-1 z by back substitution on L' (L row-major lower, so L'_ik = L[k * n + i]);
            // a plain loop for the same reproducibility reason as `sharp`.
            let n = dimension
            inverseMassCholesky!.factor.storage.withUnsafeBufferPointer { l in
                p.withUnsafeMutableBufferPointer { x in
                    for i in stride(from: n - 1, through: 0, by: -1) {
                        var s = x[i]
                        for k in (i + 1)..<n { s -= l[k * n + i] * x[k] }
                        x[i] = s / l[i * n + i]
                    }
                }
            }
        }
    }

    // MARK: conveniences (allocate; for tests and callers off the hot path)

    /// M^-1 p as a new array.
    public func sharp(_ p: [Double]) -> [Double] {
        var s = [Double](repeating: 0, count: dimension)
        sharp(p, into: &s)
        return s
    }

    /// T(p) = 0.5 p' M^-1 p.
    public func kineticEnergy(_ p: [Double]) -> Double { kineticEnergy(p, sharp: sharp(p)) }
}

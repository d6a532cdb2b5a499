import LinearAlgebra

/// An affine change of variables that makes a posterior look like N(0, I) near its mode, from
/// the Laplace approximation (mode u*, precision P = -Hessian of log p at u*, P = L L'):
/// ```
/// u = u* + L^-T z,    log p_z(z) = log p_u(u* + L^-T z) + const,    grad_z = L^-1 grad_u
/// ```
/// (the Jacobian L^-T is constant, so it only shifts log p). NUTS then runs on z, where the
/// posterior has unit scale: step-size adaptation starts near its final value and Stan's metric
/// regularization (which adds ~1e-3 * 5/(n+5) to every variance) no longer swamps parameters
/// whose posterior sd is far below 0.03 — the usual case for curve parameters fitted to
/// thousands of points. This is what `SamplerConfiguration.preconditioning = .laplace` does; the
/// draws are mapped back to u before they are returned.
///
/// When the negative Hessian is not positive definite (a saddle, a flat direction), a ridge
/// `tau I` is added, doubling tau from 1e-8 * max diagonal until the factorization succeeds.
public struct LaplacePreconditioner: Sendable {
    public let mode: [Double]
    public let logDensityAtMode: Double
    /// Cholesky factor of the (regularized) precision at the mode.
    public let precision: Cholesky
    /// The local maxima found from the different starts, best first (for chain initialization
    /// and for reporting several modes).
    public let optima: [LBFGS.Result]

    public var dimension: Int { mode.count }

    public enum Failure: Error, CustomStringConvertible {
        case noFiniteStart
        case singular
        public var description: String {
            switch self {
            case .noFiniteStart: return "Laplace preconditioner: no optimization start had a finite log density"
            case .singular: return "Laplace preconditioner: the curvature at the mode could not be made positive definite"
            }
        }
    }

    /// Maximizes from each start, keeps the best optimum, and factors the curvature there.
    public init<D: LogDensity>(density: inout D, starts: [[Double]], optimizer: LBFGS = LBFGS()) throws(Failure) {
        var optima: [LBFGS.Result] = []
        var g = [Double](repeating: 0, count: density.dimension)
        for start in starts where density.logDensity(at: start, gradient: &g).isFinite {
            optima.append(optimizer.maximize(&density, from: start))
        }
        optima.sort { $0.logDensity > $1.logDensity }
        guard let best = optima.first, best.logDensity.isFinite else { throw .noFiniteStart }
        let hessian = NumericalHessian.of(&density, at: best.point)
        var precision = Matrix(rows: hessian.rows, columns: hessian.columns)
        for i in 0..<hessian.rows { for j in 0..<hessian.columns { precision[i, j] = -hessian[i, j] } }
        let maxDiagonal = (0..<precision.rows).map { abs(precision[$0, $0]) }.max() ?? 1
        var ridge = 0.0
        var factor: Cholesky? = nil
        for _ in 0..<80 {
            var regularized = precision
            for i in 0..<regularized.rows { regularized[i, i] += ridge }
            if let f = try? Cholesky(regularized), f.factor.storage.allSatisfy(\.isFinite) { factor = f; break }
            ridge = ridge == 0 ? 1e-8 * max(maxDiagonal, 1e-300) : ridge * 2
        }
        guard let factor else { throw .singular }
        self.mode = best.point
        self.logDensityAtMode = best.logDensity
        self.precision = factor
        self.optima = optima
    }

    /// u = u* + L^-T z.
    public func position(_ z: [Double]) -> [Double] {
        var v = z
        precision.solveUpper(&v)
        for i in v.indices { v[i] += mode[i] }
        return v
    }

    /// z = L' (u - u*).
    public func standardized(_ u: [Double]) -> [Double] {
        var v = u
        for i in v.indices { v[i] -= mode[i] }
        return precision.multiplyUpper(v)
    }
}

/// A log density seen through a `LaplacePreconditioner`: the sampler's coordinates are z.
public struct PreconditionedDensity<Base: LogDensity>: LogDensity {
    public var base: Base
    public let preconditioner: LaplacePreconditioner
    private var u: [Double]
    private var gradientU: [Double]

    public init(base: Base, preconditioner: LaplacePreconditioner) {
        self.base = base
        self.preconditioner = preconditioner
        u = Array(repeating: 0, count: base.dimension)
        gradientU = u
    }

    public var dimension: Int { base.dimension }

    public mutating func logDensity(at z: [Double], gradient: inout [Double]) -> Double {
        u = preconditioner.position(z)
        let lp = base.logDensity(at: u, gradient: &gradientU)
        // grad_z = (du/dz)' grad_u = L^-1 grad_u.
        for i in 0..<gradient.count { gradient[i] = gradientU[i] }
        preconditioner.precision.solveLower(&gradient)
        return lp
    }
}

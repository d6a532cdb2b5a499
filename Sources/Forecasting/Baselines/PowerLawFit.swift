import Foundation
import LinearAlgebra

/// A least-squares power law L(t) = E + A t^(-alpha) with its delta-method predictive band.
public struct PowerLawFit: Sendable, Equatable {
    /// Fitted parameters on the working scale (log E, log A_r, log alpha), A_r = A t_r^-alpha.
    public let theta: [Double]
    /// The reference step t_r (the last fit step).
    public let referenceStep: Double
    /// Number of fit points n.
    public let count: Int
    /// The residual sum of squares.
    public let sse: Double
    /// The residual variance s^2 = SSE / (n - 3).
    public let residualVariance: Double
    /// s^2 (J'J)^-1 on the working scale, row-major 3 x 3.
    public let covariance: Matrix
    public let iterations: Int
    public let converged: Bool

    public var floor: Double { exp(theta[0]) }
    public var exponent: Double { exp(theta[2]) }
    /// A in L(t) = E + A t^-alpha: A_r t_r^alpha.
    public var amplitude: Double { exp(theta[1] + exp(theta[2]) * log(referenceStep)) }
    public var residualSD: Double { residualVariance.squareRoot() }

    /// Relative ridge added to J'J when it is numerically singular (e.g. the floor ran to 0 and
    /// its column vanished): 1e-10 of the diagonal, far below any parameter's own variance, so it
    /// only regularizes directions the data do not inform.
    static let ridge = 1e-10

    init(theta: [Double], referenceStep: Double, logS: [Double], values: [Double],
         iterations: Int, converged: Bool) {
        self.theta = theta
        self.referenceStep = referenceStep
        self.iterations = iterations
        self.converged = converged
        count = values.count
        let (f, jac) = LevenbergMarquardt.evaluate(theta, logS: logS)
        sse = LevenbergMarquardt.sse(f, values)
        residualVariance = sse / Double(values.count - 3)
        let jtj = BLAS.gemm(transposeA: true, jac, jac)
        var chol = try? Cholesky(jtj)
        var boost = Self.ridge
        while chol == nil && boost < 1 {
            var a = jtj
            for k in 0..<3 { a[k, k] += boost * max(jtj[k, k], 1e-300) }
            chol = try? Cholesky(a)
            boost *= 100
        }
        var cov = Matrix(rows: 3, columns: 3)
        if let c = chol {
            for k in 0..<3 {
                var e = [0.0, 0.0, 0.0]
                e[k] = 1
                c.solve(&e)
                for r in 0..<3 { cov[r, k] = residualVariance * e[r] }
            }
        } else {
            for k in 0..<3 { cov[k, k] = .infinity }
        }
        covariance = cov
    }

    /// The fitted mean E + A_r (t / t_r)^-alpha.
    public func mean(at step: Double) -> Double {
        exp(theta[0]) + exp(theta[1]) * exp(-exp(theta[2]) * log(step / referenceStep))
    }

    /// The delta-method standard error of the fitted mean at `step`: sqrt(g' C g), with g the
    /// gradient of the mean in theta and C = s^2 (J'J)^-1.
    public func meanSD(at step: Double) -> Double {
        let (_, g) = LevenbergMarquardt.evaluate(theta, logS: [log(step / referenceStep)])
        let gv = [g[0, 0], g[0, 1], g[0, 2]]
        let cg = BLAS.gemv(covariance, gv)
        return max(0, BLAS.dot(gv, cg)).squareRoot()
    }

    /// The Gaussian predictive of a new observation at `step`: mean, and variance g'Cg + s^2
    /// (parameter uncertainty plus the residual noise), as in the curve_fit + delta-method
    /// baseline. The sd is floored at `minimumRelativeSD` of |mean| so that an exact fit
    /// (SSE = 0) still gives a proper distribution.
    public func predictive(at step: Double) -> GaussianPredictive {
        let m = mean(at: step)
        let v = meanSD(at: step) * meanSD(at: step) + residualVariance
        return GaussianPredictive(mean: m, sd: max(v.squareRoot(), Self.minimumRelativeSD * max(abs(m), 1e-300)))
    }

    /// 1e-12: about 1e4 ulps of the mean, negligible against any real band.
    public static let minimumRelativeSD = 1e-12
}

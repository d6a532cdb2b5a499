import Foundation
import LinearAlgebra

/// Levenberg-Marquardt for the three-parameter power law on the log parameters.
enum LevenbergMarquardt {
    struct Result {
        var theta: [Double]
        var sse: Double
        var iterations: Int
        var converged: Bool
    }

    /// Iteration cap; fits on this corpus converge in 10-60 iterations.
    static let maximumIterations = 500
    /// Stop when an accepted step lowers the SSE by less than this fraction: 1e-12 is near the
    /// floor set by rounding in a sum of a few hundred squares (~ n eps).
    static let relativeTolerance = 1e-12
    /// log theta is clamped to +-50: exp(50) ~ 5e21 is beyond any meaningful loss scale and keeps
    /// every exp finite, so a runaway start yields a bad but finite SSE instead of NaN.
    static let logBound = 50.0

    /// Model values and the Jacobian (rows: points; columns: d/dlogE, d/dlogA_r, d/dlogalpha):
    ///
    /// ```
    /// f   = E + A_r exp(-alpha log s),  s = t / t_r
    /// df/dlogE     = E
    /// df/dlogA_r   = A_r s^-alpha
    /// df/dlogalpha = -alpha log(s) A_r s^-alpha
    /// ```
    static func evaluate(_ theta: [Double], logS: [Double]) -> (f: [Double], jacobian: Matrix) {
        let e = exp(theta[0]), ar = exp(theta[1]), alpha = exp(theta[2])
        var f = [Double](repeating: 0, count: logS.count)
        var j = Matrix(rows: logS.count, columns: 3)
        for i in logS.indices {
            let term = ar * exp(-alpha * logS[i])
            f[i] = e + term
            j[i, 0] = e
            j[i, 1] = term
            j[i, 2] = -alpha * logS[i] * term
        }
        return (f, j)
    }

    static func sse(_ f: [Double], _ y: [Double]) -> Double {
        var s = 0.0
        for i in f.indices { s += (f[i] - y[i]) * (f[i] - y[i]) }
        return s
    }

    /// Marquardt's scaled damping: solve (J'J + lambda diag(J'J)) delta = -J'r, accept when the
    /// SSE falls (lambda /= 10), else retry with lambda *= 10 (Marquardt 1963; the scaling by
    /// diag(J'J) makes the step invariant to the parameters' units).
    static func minimize(theta start: [Double], logS: [Double], y: [Double]) -> Result {
        var theta = start.map { min(max($0, -logBound), logBound) }
        var (f, jac) = evaluate(theta, logS: logS)
        var current = sse(f, y)
        var lambda = 1e-3
        var iterations = 0
        while iterations < maximumIterations {
            iterations += 1
            let r = zip(f, y).map { $0 - $1 }
            let jtj = BLAS.gemm(transposeA: true, jac, jac)
            let g = BLAS.gemv(transpose: true, jac, r)
            var accepted = false
            while lambda < 1e16 {
                var a = jtj
                for k in 0..<3 { a[k, k] += lambda * max(jtj[k, k], 1e-300) }
                guard let chol = try? Cholesky(a) else { lambda *= 10; continue }
                var delta = g.map { -$0 }
                chol.solve(&delta)
                let trial = zip(theta, delta).map { min(max($0 + $1, -logBound), logBound) }
                let (tf, tj) = evaluate(trial, logS: logS)
                let ts = sse(tf, y)
                if ts.isFinite && ts < current {
                    let gain = current - ts
                    theta = trial; f = tf; jac = tj
                    let previous = current
                    current = ts
                    lambda = max(lambda / 10, 1e-12)
                    accepted = true
                    if gain <= relativeTolerance * previous {
                        return Result(theta: theta, sse: current, iterations: iterations, converged: true)
                    }
                    break
                }
                lambda *= 10
            }
            // No step lowers the SSE at any damping: a stationary point to working precision.
            if !accepted { return Result(theta: theta, sse: current, iterations: iterations, converged: true) }
        }
        return Result(theta: theta, sse: current, iterations: iterations, converged: false)
    }
}

import Autodiff
import Foundation

/// The iid Student-t log-likelihood of data y given a location vector, a scale and the degrees
/// of freedom, as one fused tape node:
/// ```
/// log L = sum_i log t_nu(y_i | mu_i, sigma)
///       = sum_i [lgamma((nu+1)/2) - lgamma(nu/2) - log(nu pi)/2 - log sigma - (nu+1)/2 log1p(w_i)],
/// r_i = y_i - mu_i,   w_i = r_i^2 / (nu sigma^2),   q_i = w_i / (1 + w_i) = r_i^2 / (nu sigma^2 + r_i^2);
/// d/dmu_i  = (nu+1) r_i / (nu sigma^2 + r_i^2);
/// d/dsigma = -n / sigma + (nu+1) / sigma * sum_i q_i;
/// d/dnu    = n/2 [psi((nu+1)/2) - psi(nu/2) - 1/nu] - 1/2 sum_i (log1p(w_i) - q_i) + sum_i q_i / (2 nu).
/// ```
/// Inputs: `[mu (vector, length n), sigma (scalar > 0), nu (scalar > 0, finite)]`.
///
/// Numerics, all aimed at the Gaussian limit nu -> infinity (which the sampler reaches whenever
/// the data have no outliers):
/// - `log1p(w_i)`: w_i is tiny there and 1 + w_i would round away its digits; log1p keeps them,
///   so -(nu+1)/2 log1p(w_i) -> -r_i^2 / (2 sigma^2) exactly rather than to 0 or noise.
/// - The constant lgamma((nu+1)/2) - lgamma(nu/2) - log(nu pi)/2 is evaluated as
///   `logGammaHalfStepExcess(nu/2) - log(2 pi)/2`, whose first part is O(1/nu) and computed by a
///   series for large nu, instead of as a difference of two lgammas of size nu log nu.
/// - Likewise the digamma difference in d/dnu is taken with 1/nu already removed
///   (`digammaHalfStepExcess`), so every part of d/dnu is O(1/nu^2) as the gradient itself.
///   The data part, log1p(w) - q ~ w^2/2, still cancels to a relative error ~eps / w_i.
public struct StudentTLogLikelihood: CustomVectorOperation {
    public let y: [Double]
    /// sum_i log1p(w_i) from the last forward pass (reused by backward's d/dnu).
    var sumOfLog1p = 0.0

    public init(y: [Double]) { self.y = y }

    public var name: String { "student_t_log_likelihood" }
    public var outputIsScalar: Bool { true }
    public func outputCount(inputCounts: [Int]) -> Int {
        precondition(inputCounts.count == 3 && inputCounts[0] == y.count && inputCounts[1] == 1 && inputCounts[2] == 1,
                     "StudentTLogLikelihood: inputs must be [location (\(y.count) values), sigma, nu]")
        return 1
    }

    public mutating func forward(_ io: CustomOperationIO) {
        let mu = io.input(0), sigma = io.input(1)[0], nu = io.input(2)[0]
        let n = y.count
        let invNuSigma2 = 1 / (nu * sigma * sigma)
        var s = 0.0
        y.withUnsafeBufferPointer { yp in
            for i in 0..<n {
                let r = yp[i] - mu[i]
                s += Foundation.log1p(r * r * invNuSigma2)
            }
        }
        sumOfLog1p = s
        let perPoint = SpecialFunctions.logGammaHalfStepExcess(0.5 * nu) - halfLogTwoPi - Foundation.log(sigma)
        io.output[0] = Double(n) * perPoint - 0.5 * (nu + 1) * s
    }

    public mutating func backward(_ io: CustomOperationIO) {
        let mu = io.input(0), sigma = io.input(1)[0], nu = io.input(2)[0]
        let g = io.outputAdjoint[0]
        let n = y.count
        let dMu = io.inputAdjoint(0), dSigma = io.inputAdjoint(1), dNu = io.inputAdjoint(2)
        if dMu == nil && dSigma == nil && dNu == nil { return }
        let nuSigma2 = nu * sigma * sigma
        let scale = g * (nu + 1)
        // One pass: sum_i q_i for sigma and nu, and the location gradient when it is needed.
        var sumQ = 0.0
        y.withUnsafeBufferPointer { yp in
            if let dMu {
                for i in 0..<n {
                    let r = yp[i] - mu[i]
                    let t = 1 / (nuSigma2 + r * r)
                    sumQ += r * r * t
                    dMu[i] += scale * r * t
                }
            } else {
                for i in 0..<n {
                    let r = yp[i] - mu[i]
                    sumQ += r * r / (nuSigma2 + r * r)
                }
            }
        }
        if let dSigma {
            dSigma[0] += g * ((nu + 1) * sumQ - Double(n)) / sigma
        }
        if let dNu {
            let constant = 0.5 * Double(n) * SpecialFunctions.digammaHalfStepExcess(0.5 * nu)
            dNu[0] += g * (constant - 0.5 * (sumOfLog1p - sumQ) + sumQ / (2 * nu))
        }
    }
}

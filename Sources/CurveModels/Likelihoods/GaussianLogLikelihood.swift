import Autodiff
import Foundation

/// The iid Gaussian log-likelihood of data y given a mean vector and a scale, as one fused tape
/// node (one forward pass, one backward pass over the data):
/// ```
/// log L = sum_i log N(y_i | mu_i, sigma) = -sum_i r_i^2 / (2 sigma^2) - n log sigma - n log(2 pi) / 2,
/// r_i = y_i - mu_i;   d/dmu_i = r_i / sigma^2;   d/dsigma = sum_i r_i^2 / sigma^3 - n / sigma.
/// ```
/// Inputs: `[mu (vector, length n), sigma (scalar)]`. Fusing the residual, the square and the
/// sum into one node saves four vector passes per gradient over the unfused expression.
public struct GaussianLogLikelihood: CustomVectorOperation {
    public let y: [Double]
    /// Sum of squared residuals from the last forward pass (reused by backward).
    var sumOfSquares = 0.0

    public init(y: [Double]) { self.y = y }

    public var name: String { "gaussian_log_likelihood" }
    public var outputIsScalar: Bool { true }
    public func outputCount(inputCounts: [Int]) -> Int {
        precondition(inputCounts.count == 2 && inputCounts[0] == y.count && inputCounts[1] == 1,
                     "GaussianLogLikelihood: inputs must be [mean (\(y.count) values), sigma]")
        return 1
    }

    public mutating func forward(_ io: CustomOperationIO) {
        let mu = io.input(0), sigma = io.input(1)[0]
        let n = y.count
        var ss = 0.0
        y.withUnsafeBufferPointer { yp in
            var s0 = 0.0, s1 = 0.0
            var i = 0
            while i + 2 <= n {
                let r0 = yp[i] - mu[i], r1 = yp[i + 1] - mu[i + 1]
                s0 += r0 * r0; s1 += r1 * r1
                i += 2
            }
            if i < n { let r = yp[i] - mu[i]; s0 += r * r }
            ss = s0 + s1
        }
        sumOfSquares = ss
        io.output[0] = -0.5 * ss / (sigma * sigma) - Double(n) * (Foundation.log(sigma) + halfLogTwoPi)
    }

    public mutating func backward(_ io: CustomOperationIO) {
        let mu = io.input(0), sigma = io.input(1)[0]
        let g = io.outputAdjoint[0]
        let n = y.count
        if let dMu = io.inputAdjoint(0) {
            let c = g / (sigma * sigma)
            y.withUnsafeBufferPointer { yp in
                for i in 0..<n { dMu[i] += c * (yp[i] - mu[i]) }
            }
        }
        if let dSigma = io.inputAdjoint(1) {
            dSigma[0] += g * (sumOfSquares / (sigma * sigma * sigma) - Double(n) / sigma)
        }
    }
}

/// log(2 pi) / 2.
let halfLogTwoPi = 0.918_938_533_204_672_741_78

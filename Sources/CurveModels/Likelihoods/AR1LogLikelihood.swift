import Autodiff
import Foundation

/// The log-likelihood of data y whose residuals e_i = y_i - mu_i are a stationary Gaussian
/// AR(1) (Ornstein-Uhlenbeck) process observed at irregular spacing, as one fused tape node.
///
/// Residuals of real (smoothed) loss curves are strongly autocorrelated (CALIBRATION_NOTES.md,
/// lesson 2); an iid likelihood then counts every point as independent evidence and makes the
/// posterior overconfident. With stationary sd sigma and correlation phi_i = rho^gap_i between
/// points i-1 and i (gap_i > 0 in units of a reference spacing chosen by the caller, so rho is
/// the correlation at that spacing; gaps[0] is ignored):
/// ```
/// log L = log N(e_1 | 0, sigma) + sum_{i>=2} log N(e_i | phi_i e_{i-1}, s_i),
/// s_i^2 = sigma^2 c_i,   c_i = 1 - phi_i^2 = -expm1(2 gap_i log rho),   u_i = e_i - phi_i e_{i-1},
/// v_1 = e_1,   v_i = u_i / c_i,   Q = e_1^2 + sum_{i>=2} u_i v_i,
/// log L = -n log sigma - n log(2 pi)/2 - 1/2 sum_{i>=2} log c_i - Q / (2 sigma^2).
/// ```
/// This is exactly the multivariate normal density with Sigma_ij = sigma^2 rho^|t_i - t_j| (the
/// OU covariance at times t_i = t_1 + gap_2 + ... + gap_i), factored by the Markov property.
///
/// Gradients, one backward pass (e_i enters u_i and, through phi_(i+1) e_i, u_(i+1)):
/// ```
/// d/dmu_i  = -d/de_i = (v_i - phi_(i+1) v_(i+1)) / sigma^2        (the second term absent for i = n)
/// d/dsigma = -n / sigma + Q / sigma^3
/// d/dphi_i = u_i e_(i-1) / s_i^2 - u_i^2 phi_i sigma^2 / s_i^4 + sigma^2 phi_i / s_i^2
///          = v_i (e_(i-1) - phi_i v_i) / sigma^2 + phi_i / c_i
///   (from -u^2 / (2 sigma^2 c) - log(c)/2 with du/dphi = -e_(i-1), dc/dphi = -2 phi)
/// d/drho   = sum_{i>=2} d/dphi_i * gap_i phi_i / rho                (dphi_i/drho = gap_i rho^(gap_i - 1))
/// ```
/// Numerics: c_i = 1 - phi_i^2 is formed as -expm1(2 gap_i log rho), which keeps full relative
/// precision as phi_i -> 1 (rho near 1 or small gaps), where 1 - phi * phi would cancel to
/// nothing. A zero gap (a duplicated step) would make c_i = 0: the conditional variance of a
/// point given an identical-time neighbour is zero, and the density is degenerate. `init`
/// therefore requires every gap (after the first) to be positive; the caller removes duplicates.
///
/// Inputs: `[mu (vector, length n), sigma (scalar > 0), rho (scalar in (0, 1))]`. The op keeps
/// scratch arrays of length n, allocated at `init` (copies of a tape get their own on first use).
public struct AR1LogLikelihood: CustomVectorOperation {
    public let y: [Double]
    /// gaps[i] is the spacing between points i-1 and i; gaps[0] is ignored.
    public let gaps: [Double]

    // Scratch written by forward and read by backward (index 0 unused for phi and c).
    var phi: [Double]
    var oneMinusPhiSquared: [Double]
    /// v_i = u_i / c_i, and v_0 = e_0.
    var scaledInnovation: [Double]
    /// Q from the last forward pass.
    var quadraticForm = 0.0

    public init(y: [Double], gaps: [Double]) {
        precondition(gaps.count == y.count,
                     "AR1LogLikelihood: \(gaps.count) gaps for \(y.count) data points (one per point; gaps[0] is ignored)")
        for i in gaps.indices.dropFirst() {
            precondition(gaps[i] > 0 && gaps[i].isFinite,
                         "AR1LogLikelihood: gaps[\(i)] = \(gaps[i]); gaps must be positive and finite. A zero gap is a duplicated step, where the AR(1) conditional variance sigma^2 (1 - rho^0) vanishes: remove duplicate points before building the likelihood")
        }
        self.y = y
        self.gaps = gaps
        phi = Array(repeating: 0, count: y.count)
        oneMinusPhiSquared = Array(repeating: 1, count: y.count)
        scaledInnovation = Array(repeating: 0, count: y.count)
    }

    public var name: String { "ar1_log_likelihood" }
    public var outputIsScalar: Bool { true }
    public func outputCount(inputCounts: [Int]) -> Int {
        precondition(inputCounts.count == 3 && inputCounts[0] == y.count && inputCounts[1] == 1 && inputCounts[2] == 1,
                     "AR1LogLikelihood: inputs must be [mean (\(y.count) values), sigma, rho]")
        return 1
    }

    public mutating func forward(_ io: CustomOperationIO) {
        let mu = io.input(0), sigma = io.input(1)[0], rho = io.input(2)[0]
        let n = y.count
        if n == 0 { io.output[0] = 0; return }
        let logRho = Foundation.log(rho)
        var q = 0.0, sumLogC = 0.0
        y.withUnsafeBufferPointer { yp in
            gaps.withUnsafeBufferPointer { gp in
                phi.withUnsafeMutableBufferPointer { ph in
                    oneMinusPhiSquared.withUnsafeMutableBufferPointer { cp in
                        scaledInnovation.withUnsafeMutableBufferPointer { vp in
                            var previous = yp[0] - mu[0]
                            vp[0] = previous
                            q = previous * previous
                            var p = 0.0, c = 1.0, logC = 0.0
                            for i in 1..<n {
                                // Runs of equal gaps (regular logging) share phi, c and log c.
                                if i == 1 || gp[i] != gp[i - 1] {
                                    let a = gp[i] * logRho
                                    p = Foundation.exp(a)
                                    c = -Foundation.expm1(2 * a)
                                    logC = Foundation.log(c)
                                }
                                let e = yp[i] - mu[i]
                                let u = e - p * previous
                                let v = u / c
                                ph[i] = p; cp[i] = c; vp[i] = v
                                q += u * v
                                sumLogC += logC
                                previous = e
                            }
                        }
                    }
                }
            }
        }
        quadraticForm = q
        io.output[0] = -Double(n) * (Foundation.log(sigma) + halfLogTwoPi) - 0.5 * sumLogC - 0.5 * q / (sigma * sigma)
    }

    public mutating func backward(_ io: CustomOperationIO) {
        let mu = io.input(0), sigma = io.input(1)[0], rho = io.input(2)[0]
        let g = io.outputAdjoint[0]
        let n = y.count
        if n == 0 { return }
        let invSigma2 = 1 / (sigma * sigma)
        if let dSigma = io.inputAdjoint(1) {
            dSigma[0] += g * (quadraticForm * invSigma2 - Double(n)) / sigma
        }
        phi.withUnsafeBufferPointer { ph in
            scaledInnovation.withUnsafeBufferPointer { vp in
                if let dMu = io.inputAdjoint(0) {
                    let scale = g * invSigma2
                    for i in 0..<(n - 1) { dMu[i] += scale * (vp[i] - ph[i + 1] * vp[i + 1]) }
                    dMu[n - 1] += scale * vp[n - 1]
                }
                guard let dRho = io.inputAdjoint(2), n > 1 else { return }
                var sum = 0.0
                y.withUnsafeBufferPointer { yp in
                    gaps.withUnsafeBufferPointer { gp in
                        oneMinusPhiSquared.withUnsafeBufferPointer { cp in
                            var previous = yp[0] - mu[0]
                            for i in 1..<n {
                                let p = ph[i], v = vp[i]
                                let dPhi = v * (previous - p * v) * invSigma2 + p / cp[i]
                                sum += dPhi * gp[i] * p
                                previous = yp[i] - mu[i]
                            }
                        }
                    }
                }
                dRho[0] += g * sum / rho
            }
        }
    }

    /// The conditional one-step-ahead predictive of the residual `gap` reference spacings after
    /// the last observed one: N(phi e_last, sigma sqrt(1 - phi^2)) with phi = rho^gap. Add the
    /// curve's mean at the forecast point to get the predictive of y. A zero gap gives sd 0.
    public static func predictive(lastResidual: Double, gap: Double, sigma: Double, rho: Double) -> (mean: Double, sd: Double) {
        precondition(gap >= 0, "AR1LogLikelihood.predictive: gap \(gap) must be non-negative")
        let a = gap * Foundation.log(rho)
        // -expm1(2a) = 1 - phi^2 without cancellation as phi -> 1 (see the type's comment).
        return (Foundation.exp(a) * lastResidual, sigma * (-Foundation.expm1(2 * a)).squareRoot())
    }
}

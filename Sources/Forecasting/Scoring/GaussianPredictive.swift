import Foundation
import Sampling

/// A Gaussian predictive distribution N(mean, sd^2), scored in closed form.
///
/// Used by the least-squares baseline, whose delta-method band is Gaussian by construction.
public struct GaussianPredictive: Sendable, Equatable, Codable {
    public var mean: Double
    public var sd: Double

    public init(mean: Double, sd: Double) {
        precondition(mean.isFinite, "GaussianPredictive: mean \(mean) is not finite")
        precondition(sd > 0 && sd.isFinite, "GaussianPredictive: sd \(sd) is not positive and finite")
        self.mean = mean
        self.sd = sd
    }

    /// The quantile mean + sd Phi^-1(p) (Wichura's AS 241 for Phi^-1).
    public func quantile(_ p: Double) -> Double { mean + sd * MCMCDiagnostics.inverseNormalCDF(p) }

    /// The central interval of probability `level`.
    public func centralInterval(_ level: Double) -> ClosedRange<Double> {
        precondition(level > 0 && level < 1, "GaussianPredictive: interval level \(level) is outside (0, 1)")
        return quantile((1 - level) / 2)...quantile((1 + level) / 2)
    }

    /// The CRPS in closed form (Gneiting, Raftery, Westveld & Goldman 2005, eq. 5):
    ///
    /// ```
    /// CRPS(N(mu, s^2), y) = s [ z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi) ],   z = (y - mu) / s
    /// ```
    ///
    /// Phi is computed through erfc, so 2 Phi(z) - 1 keeps its accuracy in both tails.
    public func crps(_ y: Double) -> Double {
        let z = (y - mean) / sd
        let phi = Self.invSqrt2Pi * exp(-0.5 * z * z)
        let twoPhiMinusOne = z >= 0 ? 1 - erfc(z * Self.invSqrt2) : erfc(-z * Self.invSqrt2) - 1
        return sd * (z * twoPhiMinusOne + 2 * phi - Self.invSqrtPi)
    }

    /// log N(y | mean, sd^2) = -log(sd) - log(2 pi)/2 - z^2/2.
    public func logDensity(_ y: Double) -> Double {
        let z = (y - mean) / sd
        return -log(sd) - Self.halfLog2Pi - 0.5 * z * z
    }

    static let invSqrt2Pi = 0.39894228040143267794
    static let invSqrt2 = 0.70710678118654752440
    static let invSqrtPi = 0.56418958354775628695
    static let halfLog2Pi = 0.91893853320467274178
}

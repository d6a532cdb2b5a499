import Autodiff
import Foundation
@_exported import struct CurveModels.TapeLogDensity

/// Log densities and constraining transforms as tape expressions (Stan's conventions).
///
/// Constants that do not depend on parameters are kept, so the values can be compared with an
/// independent evaluation in tests.
public enum Densities {
    static let halfLogTwoPi = 0.91893853320467274178

    /// sum_i log N(x_i | mu, s) = sum -((x - mu)/s)^2 / 2 - log s - log(2 pi)/2.
    public static func normal(_ x: Variable, _ mu: Variable, _ s: Variable, count: Int) -> Variable {
        let r = x.recorder
        let z = (x - mu) / s
        return r.sum(-0.5 * z ** 2) - Double(count) * (r.log(s) + halfLogTwoPi)
    }

    /// log HalfCauchy(x | 0, s) for x > 0: log(2 / (pi s)) - log1p((x/s)^2).
    public static func halfCauchy(_ x: Variable, scale s: Double) -> Variable {
        let r = x.recorder
        return Foundation.log(2 / (Double.pi * s)) - r.log1p((x / s) ** 2)
    }

    /// log HalfNormal(x | 0, s) for x > 0 (summed over a vector of `count`).
    public static func halfNormal(_ x: Variable, scale s: Double, count: Int) -> Variable {
        let r = x.recorder
        return r.sum(-0.5 * (x / s) ** 2) + Double(count) * (Foundation.log(2) - halfLogTwoPi - Foundation.log(s))
    }

    /// x = exp(u) > 0, with log |dx/du| = u.
    public static func positive(_ u: Variable) -> (value: Variable, logJacobian: Variable) {
        (u.recorder.exp(u), u.recorder.sum(u))
    }

    /// x = logistic(u) in (0, 1) as exp(-softplus(-u)); log(1 - x) = -softplus(u) exactly, so
    /// log |dx/du| = log x + log(1 - x) = -softplus(-u) - softplus(u) never cancels.
    public static func unit(_ u: Variable) -> (value: Variable, log: Variable, log1m: Variable) {
        let r = u.recorder
        let logX = -r.softplus(-u)
        return (r.exp(logX), logX, -r.softplus(u))
    }
}


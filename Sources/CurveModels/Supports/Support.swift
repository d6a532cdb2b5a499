import Foundation

/// Where a parameter lives, and the map from the sampler's unconstrained space onto it.
///
/// The sampler moves u on the real line; the model sees x = g(u). The posterior density in u
/// picks up the log-Jacobian log|dx/du| (Stan reference manual, "Constraint transforms"):
/// ```
/// positive        x = exp(u)                    log|J| = u
/// unit            x = logistic(u)               log|J| = log x + log(1 - x) = -softplus(-u) - softplus(u)
/// interval(a, b)  x = a + (b - a) logistic(u)   log|J| = log(b - a) - softplus(-u) - softplus(u)
/// real            x = u                         log|J| = 0
/// ```
public enum Support: Sendable, Hashable, CustomStringConvertible {
    case positive
    case unit
    case real
    case interval(lower: Double, upper: Double)

    /// The closed hull of the support: (0, inf), (0, 1), (-inf, inf) or (a, b).
    public var bounds: (lower: Double, upper: Double) {
        switch self {
        case .positive: return (0, .infinity)
        case .unit: return (0, 1)
        case .real: return (-.infinity, .infinity)
        case .interval(let lower, let upper): return (lower, upper)
        }
    }

    /// Whether x lies strictly inside the support (the transforms never reach the ends).
    public func contains(_ x: Double) -> Bool {
        let (lower, upper) = bounds
        return x > lower && x < upper
    }

    public var description: String {
        switch self {
        case .positive: return "positive"
        case .unit: return "unit"
        case .real: return "real"
        case .interval(let lower, let upper): return "interval(\(lower), \(upper))"
        }
    }

    /// x = g(u), the constrained value.
    public func constrain(_ u: Double) -> Double {
        switch self {
        case .positive: return Foundation.exp(u)
        case .unit: return StableMath.logistic(u)
        case .real: return u
        case .interval(let a, let b):
            // Measure from the nearer end: near b, a + (b - a) * logistic(u) would round to b
            // long before b - (b - a) * logistic(-u) does.
            return u <= 0 ? a + (b - a) * StableMath.logistic(u) : b - (b - a) * StableMath.logistic(-u)
        }
    }

    /// dx/du.
    public func derivative(_ u: Double) -> Double {
        switch self {
        case .positive: return Foundation.exp(u)
        // logistic'(u) = logistic(u) logistic(-u); both factors computed directly, so neither is
        // a cancelling 1 - x.
        case .unit: return StableMath.logistic(u) * StableMath.logistic(-u)
        case .real: return 1
        case .interval(let a, let b): return (b - a) * StableMath.logistic(u) * StableMath.logistic(-u)
        }
    }

    /// log |dx/du|, the term added to the log density in unconstrained space.
    public func logJacobian(_ u: Double) -> Double {
        switch self {
        case .positive: return u
        // log x + log(1 - x) with x = logistic(u): log logistic(u) = -softplus(-u) and
        // log(1 - logistic(u)) = log logistic(-u) = -softplus(u). Finite for every finite u,
        // where log(x * (1 - x)) would hit log(0) once |u| > ~745.
        case .unit: return -StableMath.softplus(-u) - StableMath.softplus(u)
        case .real: return 0
        case .interval(let a, let b):
            return Foundation.log(b - a) - StableMath.softplus(-u) - StableMath.softplus(u)
        }
    }

    /// d log|dx/du| / du.
    public func logJacobianDerivative(_ u: Double) -> Double {
        switch self {
        case .positive: return 1
        // d/du [-softplus(-u) - softplus(u)] = logistic(-u) - logistic(u) = 1 - 2x, written as a
        // difference of two directly computed logistics (exact sign, no 1 - 2x rounding at x ~ 1).
        case .unit, .interval: return StableMath.logistic(-u) - StableMath.logistic(u)
        case .real: return 0
        }
    }

    /// u = g^-1(x). Values on or outside the boundary map to +-infinity (or NaN for NaN).
    public func unconstrain(_ x: Double) -> Double {
        switch self {
        case .positive: return Foundation.log(x)
        case .unit: return StableMath.logit(x)
        case .real: return x
        // logit((x - a) / (b - a)) = log(x - a) - log(b - x): the two distances are computed
        // directly, so x near either end keeps its precision.
        case .interval(let a, let b): return Foundation.log(x - a) - Foundation.log(b - x)
        }
    }
}

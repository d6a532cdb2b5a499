import Foundation

/// A scalar prior on a parameter's constrained value.
///
/// Densities are normalized (lgamma from Foundation). Outside the support the log density is
/// -infinity and its derivative 0. Names and fields are those of the prior JSON (Priors/README.md).
public enum PriorDistribution: Sendable, Hashable {
    case normal(mu: Double, sigma: Double)
    /// log x ~ normal(mu, sigma).
    case lognormal(mu: Double, sigma: Double)
    /// |normal(0, sigma)| on [0, inf).
    case halfNormal(sigma: Double)
    /// |cauchy(0, scale)| on [0, inf).
    case halfCauchy(scale: Double)
    case beta(alpha: Double, beta: Double)
    /// Shape k and rate theta: density theta^k x^(k-1) e^(-theta x) / Gamma(k).
    case gamma(shape: Double, rate: Double)
    case uniform(lower: Double, upper: Double)
    /// Location-scale Student t with nu degrees of freedom.
    case studentT(nu: Double, mu: Double, sigma: Double)
    case exponential(rate: Double)

    /// The closed hull of the support.
    public var support: (lower: Double, upper: Double) {
        switch self {
        case .normal, .studentT: return (-.infinity, .infinity)
        case .lognormal, .halfNormal, .halfCauchy, .gamma, .exponential: return (0, .infinity)
        case .beta: return (0, 1)
        case .uniform(let lower, let upper): return (lower, upper)
        }
    }

    /// log p(x).
    public func logDensity(_ x: Double) -> Double {
        switch self {
        case .normal(let mu, let sigma):
            let z = (x - mu) / sigma
            return -0.5 * z * z - Foundation.log(sigma) - SpecialFunctions.logSqrtTwoPi
        case .lognormal(let mu, let sigma):
            guard x > 0 else { return -.infinity }
            let logX = Foundation.log(x)
            let z = (logX - mu) / sigma
            return -0.5 * z * z - Foundation.log(sigma) - SpecialFunctions.logSqrtTwoPi - logX
        case .halfNormal(let sigma):
            guard x >= 0 else { return -.infinity }
            let z = x / sigma
            return -0.5 * z * z - Foundation.log(sigma) - SpecialFunctions.logSqrtTwoPi + M_LN2
        case .halfCauchy(let scale):
            guard x >= 0 else { return -.infinity }
            let z = x / scale
            // log1p(z^2): exact for small z, where log(1 + z^2) would drop z^2 below ulp(1).
            return M_LN2 - Foundation.log(Double.pi * scale) - Foundation.log1p(z * z)
        case .beta(let a, let b):
            guard x > 0, x < 1 else { return -.infinity }
            // log1p(-x) keeps the digits of log(1 - x) near x = 0.
            return (a - 1) * Foundation.log(x) + (b - 1) * Foundation.log1p(-x) - Self.logBeta(a, b)
        case .gamma(let k, let rate):
            guard x > 0 else { return -.infinity }
            return k * Foundation.log(rate) - lgamma(k) + (k - 1) * Foundation.log(x) - rate * x
        case .uniform(let lower, let upper):
            guard x >= lower, x <= upper else { return -.infinity }
            return -Foundation.log(upper - lower)
        case .studentT(let nu, let mu, let sigma):
            let z = (x - mu) / sigma
            return lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Foundation.log(nu * Double.pi)
                - Foundation.log(sigma) - (nu + 1) / 2 * Foundation.log1p(z * z / nu)
        case .exponential(let rate):
            guard x >= 0 else { return -.infinity }
            return Foundation.log(rate) - rate * x
        }
    }

    /// d log p(x) / dx.
    public func logDensityDerivative(_ x: Double) -> Double {
        switch self {
        case .normal(let mu, let sigma):
            return -(x - mu) / (sigma * sigma)
        case .lognormal(let mu, let sigma):
            guard x > 0 else { return 0 }
            return -(1 + (Foundation.log(x) - mu) / (sigma * sigma)) / x
        case .halfNormal(let sigma):
            guard x >= 0 else { return 0 }
            return -x / (sigma * sigma)
        case .halfCauchy(let scale):
            guard x >= 0 else { return 0 }
            return -2 * x / (scale * scale + x * x)
        case .beta(let a, let b):
            guard x > 0, x < 1 else { return 0 }
            return (a - 1) / x - (b - 1) / (1 - x)
        case .gamma(let k, let rate):
            guard x > 0 else { return 0 }
            return (k - 1) / x - rate
        case .uniform:
            return 0
        case .studentT(let nu, let mu, let sigma):
            let z = (x - mu) / sigma
            return -(nu + 1) * z / (sigma * (nu + z * z))
        case .exponential(let rate):
            guard x >= 0 else { return 0 }
            return -rate
        }
    }

    /// P(X <= x).
    public func cdf(_ x: Double) -> Double {
        switch self {
        case .normal(let mu, let sigma):
            return SpecialFunctions.normalCDF((x - mu) / sigma)
        case .lognormal(let mu, let sigma):
            guard x > 0 else { return 0 }
            return SpecialFunctions.normalCDF((Foundation.log(x) - mu) / sigma)
        case .halfNormal(let sigma):
            guard x > 0 else { return 0 }
            return erf(x / (sigma * 2.0.squareRoot()))
        case .halfCauchy(let scale):
            guard x > 0 else { return 0 }
            return 2 / Double.pi * atan(x / scale)
        case .beta(let a, let b):
            return SpecialFunctions.regularizedBeta(x, a, b)
        case .gamma(let k, let rate):
            return SpecialFunctions.regularizedGammaP(k, rate * x)
        case .uniform(let lower, let upper):
            return min(1, max(0, (x - lower) / (upper - lower)))
        case .studentT(let nu, let mu, let sigma):
            let z = (x - mu) / sigma
            // P(|T| > |z|) = I_{nu / (nu + z^2)}(nu / 2, 1 / 2).
            let tail = 0.5 * SpecialFunctions.regularizedBeta(nu / (nu + z * z), nu / 2, 0.5)
            return z > 0 ? 1 - tail : tail
        case .exponential(let rate):
            guard x > 0 else { return 0 }
            return -expm1(-rate * x)  // 1 - e^-rx without cancellation for small rx
        }
    }

    /// The p-quantile: closed form for normal, lognormal, halfnormal, halfcauchy, uniform and
    /// exponential; bisection on the CDF for beta, gamma and Student t.
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return support.lower }
        if p == 1 { return support.upper }
        switch self {
        case .normal(let mu, let sigma):
            return mu + sigma * SpecialFunctions.normalQuantile(p)
        case .lognormal(let mu, let sigma):
            return Foundation.exp(mu + sigma * SpecialFunctions.normalQuantile(p))
        case .halfNormal(let sigma):
            // |Z| <= x  <=>  Phi(x) = (1 + p) / 2.
            return sigma * SpecialFunctions.normalQuantile(0.5 + 0.5 * p)
        case .halfCauchy(let scale):
            return scale * tan(Double.pi / 2 * p)
        case .uniform(let lower, let upper):
            return lower + p * (upper - lower)
        case .exponential(let rate):
            return -Foundation.log1p(-p) / rate
        case .beta, .gamma, .studentT:
            let (lower, upper) = support
            return SpecialFunctions.invert(cdf, p: p, lower: lower, upper: upper)
        }
    }

    /// One draw. `uniform` must return values in the open interval (0, 1), `normal` standard
    /// normal values. Gamma by Marsaglia & Tsang (2000), beta as a ratio of gammas, Student t as
    /// a normal over the root of a scaled chi-square.
    public func sample(uniform: () -> Double, normal: () -> Double) -> Double {
        switch self {
        case .normal(let mu, let sigma): return mu + sigma * normal()
        case .lognormal(let mu, let sigma): return Foundation.exp(mu + sigma * normal())
        case .halfNormal(let sigma): return sigma * abs(normal())
        case .halfCauchy, .uniform, .exponential: return quantile(uniform())
        case .beta(let a, let b):
            let x = Self.sampleGamma(shape: a, uniform: uniform, normal: normal)
            let y = Self.sampleGamma(shape: b, uniform: uniform, normal: normal)
            return x / (x + y)
        case .gamma(let k, let rate):
            return Self.sampleGamma(shape: k, uniform: uniform, normal: normal) / rate
        case .studentT(let nu, let mu, let sigma):
            let chiSquare = 2 * Self.sampleGamma(shape: nu / 2, uniform: uniform, normal: normal)
            return mu + sigma * normal() / (chiSquare / nu).squareRoot()
        }
    }

    /// Gamma(shape, rate 1), Marsaglia & Tsang, "A simple method for generating gamma variables",
    /// ACM TOMS 2000; shape < 1 through Gamma(shape + 1) * U^(1/shape).
    static func sampleGamma(shape: Double, uniform: () -> Double, normal: () -> Double) -> Double {
        if shape < 1 {
            return sampleGamma(shape: shape + 1, uniform: uniform, normal: normal)
                * Foundation.pow(uniform(), 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal()
            let v = 1 + c * x
            if v <= 0 { continue }
            let v3 = v * v * v
            if Foundation.log(uniform()) < 0.5 * x * x + d - d * v3 + d * Foundation.log(v3) { return d * v3 }
        }
    }

    static func logBeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }
}

import Foundation

/// Distribution functions that Foundation lacks: normal quantile, regularized incomplete gamma
/// and beta. Accurate to ~1e-14 relative in the ranges priors use.
enum SpecialFunctions {
    static let logSqrtTwoPi = 0.918_938_533_204_672_741_78  // log(sqrt(2 pi))

    /// Standard normal CDF, Phi(z) = erfc(-z / sqrt 2) / 2 (erfc keeps the lower tail's relative
    /// precision, where 1 + erf(z / sqrt 2) would cancel).
    static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// Standard normal quantile: Acklam's rational approximation (relative error 1.15e-9) followed
    /// by one Halley step on erfc, which brings it to full double precision.
    static func normalQuantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let pLow = 0.02425
        var x: Double
        if p < pLow {
            let q = (-2 * Foundation.log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - pLow {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * Foundation.log1p(-p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // Halley refinement (Acklam): e = Phi(x) - p, u = e / phi(x). In the upper tail e is formed
        // as (1 - p) - Q(x), the same number with the digits that Phi(x) - p would cancel.
        let e = p > 0.5 ? (1 - p) - 0.5 * erfc(x / 2.0.squareRoot()) : normalCDF(x) - p
        let u = e * Foundation.exp(0.5 * x * x + logSqrtTwoPi)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// Regularized lower incomplete gamma P(a, x): series for x < a + 1, else 1 - Q by Lentz's
    /// continued fraction (Numerical Recipes 6.2).
    static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x.isInfinite { return 1 }
        let logPrefactor = a * Foundation.log(x) - x - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return min(1, sum * Foundation.exp(logPrefactor))
        }
        return max(0, 1 - continuedFractionQ(a, x) * Foundation.exp(logPrefactor))
    }

    /// Lentz's continued fraction for Q(a, x) e^x x^-a Gamma(a).
    private static func continuedFractionQ(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }

    /// Regularized incomplete beta I_x(a, b) by the continued fraction of Numerical Recipes 6.4,
    /// using I_x(a, b) = 1 - I_{1-x}(b, a) where that converges faster.
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * Foundation.log(x) + b * Foundation.log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return Foundation.exp(logFront) * betaContinuedFraction(x, a, b) / a
        }
        return 1 - Foundation.exp(logFront) * betaContinuedFraction(1 - x, b, a) / b
    }

    private static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0, d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1..<10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }

    /// Solves cdf(x) = p for a non-decreasing cdf by bisection, on log x for positive supports
    /// (so that both 1e-12 and 1e12 are reached in ~60 halvings), on x otherwise.
    static func invert(
        _ cdf: (Double) -> Double, p: Double, lower: Double, upper: Double
    ) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return lower }
        if p == 1 { return upper }
        let logScale = lower == 0 && upper == .infinity
        let map: (Double) -> Double = logScale ? { Foundation.exp($0) } : { $0 }
        var lo: Double, hi: Double
        if logScale {
            (lo, hi) = (-1, 1)
            while cdf(map(lo)) > p, lo > -700 { lo *= 2 }
            while cdf(map(hi)) < p, hi < 700 { hi *= 2 }
        } else if lower.isFinite && upper.isFinite {
            (lo, hi) = (lower, upper)
        } else {
            (lo, hi) = (-1, 1)
            while cdf(lo) > p, lo > -1e300 { lo *= 2 }
            while cdf(hi) < p, hi < 1e300 { hi *= 2 }
        }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if cdf(map(mid)) < p { lo = mid } else { hi = mid }
        }
        return map(0.5 * (lo + hi))
    }
}

import Foundation

/// The digamma function and the two half-step differences the Student-t likelihood needs.
extension SpecialFunctions {
    /// Below this argument `digamma` shifts upward with psi(x) = psi(x + 1) - 1/x before using
    /// the asymptotic series. With the terms through B_14 the first omitted term is
    /// |B_16| / (16 x^16) = 4.4e-17 at x = 10; at x = 6 it would be 1.6e-13, too coarse for
    /// full precision, hence 10 rather than the textbook 6.
    static let digammaAsymptoticThreshold = 10.0

    /// psi(x) = d/dx log Gamma(x), to ~1e-15 absolute for x > 0.
    ///
    /// Upward recurrence to x >= 10, then the asymptotic series of Abramowitz & Stegun 6.3.18:
    /// ```
    /// psi(x) ~ log x - 1/(2x) - sum_{k>=1} B_2k / (2k x^2k)
    ///        = log x - 1/(2x) - 1/(12x^2) + 1/(120x^4) - 1/(252x^6) + 1/(240x^8)
    ///          - 1/(132x^10) + 691/(32760x^12) - 1/(12x^14)
    /// ```
    /// Negative non-integers use the reflection psi(x) = psi(1 - x) - pi cot(pi x) (A&S 6.3.7);
    /// psi has poles at 0, -1, -2, ..., where the result is NaN.
    static func digamma(_ x: Double) -> Double {
        if x.isNaN || x == -.infinity { return .nan }
        if x == .infinity { return .infinity }
        if x <= 0 {
            if x == x.rounded(.down) { return .nan }
            // cot(pi x) through tan of the reduced argument: pi * x itself would lose the
            // fractional part for large |x|.
            let fraction = x - x.rounded(.down)
            return digamma(1 - x) - Double.pi / Foundation.tan(Double.pi * fraction)
        }
        var x = x
        var shift = 0.0
        while x < digammaAsymptoticThreshold {
            shift += 1 / x
            x += 1
        }
        let r = 1 / (x * x)
        // Horner in 1/x^2 over -B_2k / (2k): -1/12, 1/120, -1/252, 1/240, -1/132, 691/32760, -1/12.
        let series = r * (-1.0 / 12 + r * (1.0 / 120 + r * (-1.0 / 252 + r * (1.0 / 240
            + r * (-1.0 / 132 + r * (691.0 / 32760 + r * (-1.0 / 12)))))))
        return Foundation.log(x) - 0.5 / x + series - shift
    }

    /// Above this argument the half-step differences below use their asymptotic series. At
    /// a = 16 the truncated series are off by 4e-16 and 5e-15 relative (checked against 40-digit
    /// mpmath), while the direct differences of lgamma and digamma carry absolute errors of
    /// ~eps * lgamma(a) ~ 6e-15 and ~eps * psi(a) ~ 6e-16, growing with a.
    static let halfStepAsymptoticThreshold = 16.0

    /// lgamma(a + 1/2) - lgamma(a) - log(a) / 2, for a > 0.
    ///
    /// The Student-t normalizing constant. For large a the two lgamma values grow like a log a
    /// and their difference cancels (at a = 5e11 each is 1.3e13 and the difference keeps only
    /// ~3 digits); subtracting log(a) / 2 leaves the O(1/a) term that vanishes as the t tends to a
    /// Gaussian. From ln Gamma(z + h) - ln Gamma(z) ~ h ln z + sum_k (-1)^(k+1)
    /// (B_(k+1)(h) - B_(k+1)) / (k (k+1) z^k) (A&S 6.1.47 with Bernoulli polynomials) at h = 1/2:
    /// ```
    /// -1/(8a) + 1/(192a^3) - 1/(640a^5) + 17/(14336a^7) - 31/(18432a^9) + 691/(180224a^11)
    /// ```
    static func logGammaHalfStepExcess(_ a: Double) -> Double {
        if a < halfStepAsymptoticThreshold {
            return lgamma(a + 0.5) - lgamma(a) - 0.5 * Foundation.log(a)
        }
        let r = 1 / (a * a)
        return (-1.0 / 8 + r * (1.0 / 192 + r * (-1.0 / 640 + r * (17.0 / 14336
            + r * (-31.0 / 18432 + r * (691.0 / 180224)))))) / a
    }

    /// psi(a + 1/2) - psi(a) - 1/(2a), for a > 0: the derivative of `logGammaHalfStepExcess`.
    ///
    /// For large a the two digammas agree to O(1/a) and the result is O(1/a^2); the series
    /// (the term-by-term derivative of the one above) keeps full relative precision there:
    /// ```
    /// 1/(8a^2) - 1/(64a^4) + 1/(128a^6) - 17/(2048a^8) + 31/(2048a^10) - 691/(16384a^12)
    /// ```
    static func digammaHalfStepExcess(_ a: Double) -> Double {
        if a < halfStepAsymptoticThreshold {
            return digamma(a + 0.5) - digamma(a) - 0.5 / a
        }
        let r = 1 / (a * a)
        return r * (1.0 / 8 + r * (-1.0 / 64 + r * (1.0 / 128 + r * (-17.0 / 2048
            + r * (31.0 / 2048 + r * (-691.0 / 16384))))))
    }
}

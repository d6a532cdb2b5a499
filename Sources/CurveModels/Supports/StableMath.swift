import Foundation

/// Scalar helpers that stay accurate where the textbook formulas overflow or cancel.
public enum StableMath {
    /// softplus(x) = log(1 + e^x), as max(x, 0) + log1p(e^-|x|).
    ///
    /// The textbook form overflows for x > ~709 and loses all digits for x < -37 (1 + e^x rounds
    /// to 1); the split form is exact to an ulp or two over the whole line.
    @inlinable
    public static func softplus(_ x: Double) -> Double {
        max(x, 0) + Foundation.log1p(Foundation.exp(-abs(x)))
    }

    /// logistic(x) = 1 / (1 + e^-x), evaluated so that e^(.) only sees a non-positive argument.
    ///
    /// For x < 0 the form e^x / (1 + e^x) keeps full relative precision of tiny results
    /// (logistic(-800) = 0 only because it underflows, not by cancellation).
    @inlinable
    public static func logistic(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    /// logit(p) = log(p / (1 - p)) as log(p) - log1p(-p): no cancellation in 1 - p near p = 0.
    @inlinable
    public static func logit(_ p: Double) -> Double {
        Foundation.log(p) - Foundation.log1p(-p)
    }

    /// log(e^a + e^b) without overflow.
    @inlinable
    public static func logAddExp(_ a: Double, _ b: Double) -> Double {
        let high = max(a, b)
        if high == -.infinity { return -.infinity }
        return high + Foundation.log1p(Foundation.exp(-abs(a - b)))
    }
}

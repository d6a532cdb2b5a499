import Foundation

/// One stated quantile: P(X <= value) = probability.
public struct QuantilePoint: Sendable, Hashable {
    public var probability: Double
    public var value: Double

    public init(_ probability: Double, _ value: Double) {
        self.probability = probability
        self.value = value
    }
}

/// A problem with the user's judgements, with a message saying what to change.
public struct ElicitationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Checks a set of stated quantiles of `quantity` (e.g. "the loss floor").
///
/// Rules: at least two quantiles (a two-parameter family needs two); probabilities strictly inside
/// (0, 1) and distinct; values finite, strictly increasing with the probability, and inside
/// `(lower, upper)` (the open support of the quantity). Returns the points sorted by probability.
public func validateQuantiles(
    _ points: [QuantilePoint], quantity: String, lower: Double = 0, upper: Double = .infinity
) throws(ElicitationError) -> [QuantilePoint] {
    guard points.count >= 2 else {
        throw ElicitationError("\(quantity): give at least two quantiles (e.g. 0.05, 0.5 and 0.95), or skip")
    }
    let sorted = points.sorted { $0.probability < $1.probability }
    for point in sorted {
        guard point.probability > 0, point.probability < 1 else {
            throw ElicitationError("\(quantity): probability \(point.probability) is not strictly between 0 and 1 (write 0.05 for the 5% quantile)")
        }
        guard point.value.isFinite, point.value > lower, point.value < upper else {
            let range = upper == .infinity ? "> \(format(lower))" : "in (\(format(lower)), \(format(upper)))"
            throw ElicitationError("\(quantity): the \(percent(point.probability)) quantile \(format(point.value)) is outside the possible values; it must be \(range)")
        }
    }
    for (a, b) in zip(sorted, sorted.dropFirst()) {
        guard a.probability < b.probability else {
            throw ElicitationError("\(quantity): the \(percent(a.probability)) quantile is given twice; give each probability once")
        }
        guard a.value < b.value else {
            throw ElicitationError("\(quantity): quantiles must increase with the probability, but the \(percent(a.probability)) quantile \(format(a.value)) is not below the \(percent(b.probability)) quantile \(format(b.value))")
        }
    }
    return sorted
}

/// `0.05` -> `5%`.
func percent(_ p: Double) -> String {
    let value = p * 100
    return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
}

/// Four significant digits.
func format(_ x: Double) -> String { String(format: "%.4g", x) }

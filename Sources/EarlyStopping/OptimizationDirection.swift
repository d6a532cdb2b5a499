/// Whether smaller (losses) or larger (accuracies) values of the metric are better.
public enum OptimizationDirection: String, Sendable, Codable, CaseIterable {
    case minimize, maximize

    /// Whether `value` is strictly better than `reference` in this direction.
    public func beats(_ value: Double, _ reference: Double) -> Bool {
        self == .minimize ? value < reference : value > reference
    }

    /// The better of two values.
    public func best(_ a: Double, _ b: Double) -> Double { beats(b, a) ? b : a }
}

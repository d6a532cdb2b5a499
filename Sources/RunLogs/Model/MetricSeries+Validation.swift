extension MetricSeries {
    /// Why a series cannot be fitted.
    public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The specific problem.
        public enum Reason: Sendable, Hashable {
            /// Fewer points than needed.
            case tooFewPoints(count: Int, required: Int)
            /// A step smaller than the one before it.
            case outOfOrder(step: Double, at: LogLocation, previousStep: Double, previous: LogLocation)
            /// The same step twice (strict mode).
            case duplicateStep(step: Double, first: LogLocation, second: LogLocation)
            /// A value <= 0 where a log scale is required.
            case nonPositive(value: Double, at: LogLocation)
        }

        /// The metric.
        public var metric: String
        /// The file or run the series was read from.
        public var source: String
        /// The problem.
        public var reason: Reason

        /// A message naming the file, line and metric, and what to do.
        public var description: String {
            let field = "metric '\(metric)'"
            switch reason {
            case .tooFewPoints(let count, let required):
                return "\(source): \(field): \(count) point\(count == 1 ? "" : "s"), at least \(required) "
                    + "needed to fit; wait for more points or lower the minimum"
            case .outOfOrder(let step, let at, let previousStep, let previous):
                return "\(at): \(field): step \(formatStep(step)) comes after step \(formatStep(previousStep)) "
                    + "(\(previous.shortDescription)); steps must increase: sort the file, or read it in "
                    + "resume mode if the run was restarted"
            case .duplicateStep(let step, let first, let second):
                return "\(second): \(field): step \(formatStep(step)) was already logged at "
                    + "\(first.shortDescription); delete one of the two rows, or read in resume mode "
                    + "(the later write wins)"
            case .nonPositive(let value, let at):
                return "\(at): \(field): value \(value) is not positive, but a log scale needs "
                    + "values > 0; fix or delete the row, or fit on a linear scale"
            }
        }
    }

    /// Checks that the series can be fitted: at least `max(2, minPoints)` points, strictly
    /// increasing steps, and (when `requirePositive`, for log-scale likelihoods) values > 0.
    ///
    /// Errors name the first offending line; a duplicate names both lines. Series read in
    /// `ReadMode.resume` are already strictly increasing, so only count and sign are left to check.
    public func validateForFitting(minPoints: Int = 2, requirePositive: Bool = false) throws(ValidationError) {
        let required = Swift.max(2, minPoints)
        func fail(_ reason: ValidationError.Reason) -> ValidationError {
            ValidationError(metric: name, source: source, reason: reason)
        }
        for index in points.indices.dropFirst() {
            let previous = points[index - 1]
            let point = points[index]
            if point.step == previous.step {
                throw fail(.duplicateStep(step: point.step, first: previous.location, second: point.location))
            }
            if point.step < previous.step {
                // A duplicate of an earlier, non-adjacent step is still reported as a duplicate.
                if let earlier = points[..<index].first(where: { $0.step == point.step }) {
                    throw fail(.duplicateStep(step: point.step, first: earlier.location, second: point.location))
                }
                throw fail(
                    .outOfOrder(
                        step: point.step, at: point.location, previousStep: previous.step,
                        previous: previous.location))
            }
        }
        if requirePositive, let bad = points.first(where: { $0.value <= 0 }) {
            throw fail(.nonPositive(value: bad.value, at: bad.location))
        }
        if points.count < required {
            throw fail(.tooFewPoints(count: points.count, required: required))
        }
    }
}

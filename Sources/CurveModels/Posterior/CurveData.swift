import Foundation

/// The points a curve model is fitted to, on the normalized scale of Models/README.md.
///
/// - `t = step / stepRef` with `stepRef` the last fitted step, so t = 1 is the cut-off and a
///   forecast at 10x is t = 10;
/// - `y = value / valueRef` with `valueRef` the median of the last (up to) five fitted values, a
///   noise-robust "current level" of the curve (the curve is ~1 at t = 1);
/// - the observations are log y on the log scale (multiplicative noise, the default for losses)
///   or y on the linear scale;
/// - `gaps` are the spacings between consecutive fitted points in units of their median
///   spacing (the AR(1) likelihood's time unit: the correlation between neighbours is rho^gap).
///
/// Curves fitted jointly (several runs sharing a model's parameters) share one `Normalization`
/// instead: step_ref, value_ref and the spacing unit of the longest of them (`Normalization.joint`).
///
/// Long curves are thinned to at most `maximumPoints` points, evenly by index (which is even in
/// log-step for log-spaced logs), always keeping the last point: beyond a few hundred points the
/// epistemic uncertainty about the curve's shape, not the noise, dominates the forecast
/// (CALIBRATION_NOTES lesson 2) and each point costs gradient time.
public struct CurveData: Sendable {
    public enum Scale: String, Sendable, CaseIterable { case log, linear }

    public let steps: [Double]
    public let values: [Double]
    public let scale: Scale
    public let stepRef: Double
    public let valueRef: Double
    /// Normalized steps.
    public let t: [Double]
    /// log(value / valueRef) on the log scale, value / valueRef on the linear scale.
    public let observations: [Double]
    /// Spacing to the previous point in units of the median spacing (gaps[0] = 1 by convention).
    public let gaps: [Double]

    /// The default cap on fitted points (CALIBRATION_NOTES: the prototype used at most 300; the
    /// back-test scores the same with 200 and runs faster).
    public static let defaultMaximumPoints = 200

    public enum DataError: Error, Sendable, Equatable, CustomStringConvertible {
        case tooFewPoints(Int)
        case nonFinite(index: Int)
        case notIncreasing(index: Int, step: Double, previous: Double)
        case nonPositiveStep(index: Int, step: Double)
        case nonPositiveValueOnLogScale(index: Int, value: Double)
        case zeroReference

        public var description: String {
            switch self {
            case .tooFewPoints(let n):
                return "only \(n) point(s) to fit; a curve model needs at least 3 (fit a longer prefix or lower --fit-until less)"
            case .nonFinite(let i): return "point \(i + 1) is not a finite number; remove it"
            case .notIncreasing(let i, let s, let p):
                return "step \(s) at point \(i + 1) does not come after step \(p); sort the log or remove the repeated step"
            case .nonPositiveStep(let i, let s):
                return "step \(s) at point \(i + 1) is not positive; curve laws need steps > 0 (shift the step column)"
            case .nonPositiveValueOnLogScale(let i, let v):
                return "value \(v) at point \(i + 1) is not positive, but the likelihood works on log values; use --scale linear for metrics that can be zero or negative"
            case .zeroReference:
                return "the last fitted values average to zero, so the curve cannot be normalized; use --scale log with positive values or shift the metric"
            }
        }
    }

    /// The references that put a curve on the normalized scale. Curves fitted jointly share one
    /// (`joint(_:)`), so that shared parameters mean the same thing for every curve.
    public struct Normalization: Sendable, Equatable {
        /// The step at t = 1.
        public var stepRef: Double
        /// The value at y = 1 (positive).
        public var valueRef: Double
        /// The AR(1) likelihood's time unit, in steps (a gap of 1).
        public var spacing: Double

        public init(stepRef: Double, valueRef: Double, spacing: Double) {
            self.stepRef = stepRef
            self.valueRef = valueRef
            self.spacing = spacing
        }

        /// The shared normalization of curves fitted jointly: t = 1 at the latest last step among
        /// them, y = 1 at that curve's level there (its own `valueRef`), and the median of their
        /// spacings as the AR(1) time unit. Each curve alone still decides its points.
        public static func joint(_ curves: [CurveData]) -> Normalization {
            precondition(!curves.isEmpty, "CurveData.Normalization.joint: no curves")
            let longest = curves.max { $0.stepRef < $1.stepRef }!
            let spacings = curves.map(\.normalization.spacing).sorted()
            return Normalization(stepRef: longest.stepRef, valueRef: longest.valueRef,
                                 spacing: spacings[spacings.count / 2])
        }
    }

    /// The references this curve is normalized with.
    public let normalization: Normalization

    /// A curve on its own normalized scale (`normalization` nil: t = 1 at its last point, y = 1
    /// at the median of its last five values, gaps in units of its median spacing), or on a
    /// given one (a joint fit's, see `Normalization.joint`).
    public init(steps allSteps: [Double], values allValues: [Double], scale: Scale = .log,
                maximumPoints: Int = CurveData.defaultMaximumPoints,
                normalization given: Normalization? = nil) throws(DataError) {
        precondition(allSteps.count == allValues.count, "CurveData: \(allSteps.count) steps, \(allValues.count) values")
        let n = allSteps.count
        guard n >= 3 else { throw .tooFewPoints(n) }
        for i in 0..<n {
            guard allSteps[i].isFinite, allValues[i].isFinite else { throw .nonFinite(index: i) }
            guard allSteps[i] > 0 else { throw .nonPositiveStep(index: i, step: allSteps[i]) }
            if i > 0, !(allSteps[i] > allSteps[i - 1]) {
                throw .notIncreasing(index: i, step: allSteps[i], previous: allSteps[i - 1])
            }
            if scale == .log, !(allValues[i] > 0) { throw .nonPositiveValueOnLogScale(index: i, value: allValues[i]) }
        }
        let keep = CurveData.thinnedIndices(count: n, maximum: max(maximumPoints, 3))
        steps = keep.map { allSteps[$0] }
        values = keep.map { allValues[$0] }
        self.scale = scale
        var spacing = [Double](repeating: 1, count: steps.count)
        for i in 1..<steps.count { spacing[i] = steps[i] - steps[i - 1] }
        let normalization: Normalization
        if let given {
            precondition(given.stepRef > 0 && given.valueRef > 0 && given.spacing > 0,
                         "CurveData: a normalization needs positive references")
            normalization = given
        } else {
            let tail = Array(allValues.suffix(5)).sorted()
            let median = tail[tail.count / 2]
            guard median != 0 else { throw .zeroReference }
            let sortedSpacing = spacing.dropFirst().sorted()
            normalization = Normalization(stepRef: steps[steps.count - 1], valueRef: abs(median),
                                          spacing: sortedSpacing[sortedSpacing.count / 2])
        }
        self.normalization = normalization
        stepRef = normalization.stepRef
        valueRef = normalization.valueRef
        t = steps.map { $0 / normalization.stepRef }
        observations = scale == .log ? values.map { Foundation.log($0 / normalization.valueRef) }
                                     : values.map { $0 / normalization.valueRef }
        gaps = [1] + spacing.dropFirst().map { $0 / normalization.spacing }
    }

    /// Indices 0..<count thinned to at most `maximum`, evenly by index, always keeping the last.
    public static func thinnedIndices(count: Int, maximum: Int) -> [Int] {
        guard count > maximum else { return Array(0..<count) }
        var indices: [Int] = []
        for k in 0..<maximum {
            let i = Int((Double(k) * Double(count - 1) / Double(maximum - 1)).rounded())
            if indices.last != i { indices.append(i) }
        }
        if indices.last != count - 1 { indices.append(count - 1) }
        return indices
    }

    /// Normalized t of a raw step.
    public func normalized(step: Double) -> Double { step / stepRef }

    /// A value on the original scale from a normalized observation-scale value.
    public func value(fromObservation o: Double) -> Double {
        scale == .log ? valueRef * Foundation.exp(o) : valueRef * o
    }
}

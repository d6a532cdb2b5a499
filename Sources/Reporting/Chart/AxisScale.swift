import Foundation

/// A map from data values to pixels along one axis: linear, or linear in log10(value).
///
/// ```
/// pixel(v) = start + (f(v) - f(lower)) / (f(upper) - f(lower)) * (end - start),  f = id or log10
/// ```
/// `end < start` is allowed (y axes grow upwards while SVG y grows downwards).
public struct AxisScale: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case linear, log
    }

    public var kind: Kind
    /// The data values at the two ends of the axis (lower < upper; > 0 on a log axis).
    public var lower: Double
    public var upper: Double
    /// The pixels of `lower` and `upper`.
    public var start: Double
    public var end: Double

    public init(kind: Kind, lower: Double, upper: Double, start: Double, end: Double) {
        precondition(lower < upper, "AxisScale: empty domain \(lower)...\(upper)")
        precondition(kind == .linear || lower > 0, "AxisScale: a log axis needs values > 0, got \(lower)")
        self.kind = kind
        self.lower = lower
        self.upper = upper
        self.start = start
        self.end = end
    }

    /// The pixel of `value` (values outside the domain map outside the pixel range).
    public func pixel(_ value: Double) -> Double {
        let a = transform(lower), b = transform(upper)
        return start + (transform(value) - a) / (b - a) * (end - start)
    }

    /// Whether `value` lies in the domain (a small tolerance for rounding).
    public func contains(_ value: Double) -> Bool {
        let slack = (transform(upper) - transform(lower)) * 1e-9
        let t = transform(value)
        return t >= transform(lower) - slack && t <= transform(upper) + slack
    }

    func transform(_ value: Double) -> Double { kind == .log ? log10(value) : value }
    func inverse(_ t: Double) -> Double { kind == .log ? pow(10, t) : t }

    /// A scale whose domain holds every finite `values` (only those > 0 on a log axis), padded by
    /// `padding` of the span on each side in the axis's own (log or linear) coordinates. A single
    /// value gets a domain of +-10% around it.
    public static func fitting(
        _ values: [Double], kind: Kind, padding: Double = 0.04, start: Double, end: Double
    ) -> AxisScale {
        let usable = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }
        guard var lo = usable.min(), var hi = usable.max() else {
            return AxisScale(kind: kind, lower: 1, upper: 10, start: start, end: end)
        }
        if lo == hi {
            let delta = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= delta
            hi += delta
            if kind == .log { lo = max(lo, hi / 1.5) }
        }
        let probe = AxisScale(kind: kind, lower: lo, upper: hi, start: start, end: end)
        let a = probe.transform(lo), b = probe.transform(hi), pad = (b - a) * padding
        return AxisScale(kind: kind, lower: probe.inverse(a - pad), upper: probe.inverse(b + pad), start: start, end: end)
    }
}

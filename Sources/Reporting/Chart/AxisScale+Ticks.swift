import Foundation

extension AxisScale {
    /// Tick values inside the domain, about `target` of them, at "nice" numbers.
    ///
    /// Linear axes: multiples of 1, 2, 2.5 or 5 x 10^k (the one nearest span / target).
    /// Log axes: 1, 2, 5 x 10^k when at most `target` + 1 of them fall inside, else 1 x 10^k (every
    /// decade, or every n-th when there are more decades than `target`). A log axis spanning too little for
    /// three such ticks (a loss between 2.9 and 4.1) gets the linear ticks of its range instead,
    /// placed at their log positions, so every axis has readable labels.
    public func ticks(target: Int = 6) -> [Double] {
        if kind == .log {
            let decades = log10(upper / lower)
            let first = Int(floor(log10(lower))), last = Int(ceil(log10(upper)))
            let stride = max(1, Int(ceil(decades / Double(max(target, 1)))))
            func values(_ mantissas: [Double], stride: Int) -> [Double] {
                var result: [Double] = []
                for e in first...last where (e - first) % stride == 0 {
                    for m in mantissas {
                        let v = m * pow(10, Double(e))
                        if contains(v) { result.append(v) }
                    }
                }
                return result
            }
            let fine = values([1, 2, 5], stride: 1)
            if fine.count >= 3, fine.count <= target + 1 { return fine }
            let coarse = values([1], stride: stride)
            if coarse.count >= 3 || coarse.count > fine.count { return coarse }
            if fine.count >= 3 { return fine }
        }
        return Self.linearTicks(lower: lower, upper: upper, target: target)
    }

    static func linearTicks(lower: Double, upper: Double, target: Int) -> [Double] {
        let raw = (upper - lower) / Double(max(target, 1))
        guard raw > 0, raw.isFinite else { return [] }
        let exponent = Int(floor(log10(raw)))
        // The nice step nearest to the raw one (in ratio).
        let mantissa = [1, 2, 2.5, 5, 10].min { abs(log($0 * pow(10, Double(exponent)) / raw)) < abs(log($1 * pow(10, Double(exponent)) / raw)) }!
        // A tick is k * mantissa scaled by 10^exponent; dividing by 10^-exponent (an exact power
        // for small exponents) keeps 17 * 0.2 = 3.4, not 3.4000000000000004.
        func value(_ k: Double) -> Double {
            exponent < 0 ? k * mantissa / pow(10, Double(-exponent)) : k * mantissa * pow(10, Double(exponent))
        }
        let step = value(1)
        var values: [Double] = []
        var k = ceil(lower / step)
        while value(k) <= upper * (1 + 1e-12) + 1e-300 {
            values.append(value(k))
            k += 1
        }
        return values
    }
}

/// Short, readable tick and table labels.
public enum ReportNumberFormat {
    /// A step: 500, 1k, 2.5k, 20k, 1M, 1.5M (integers below 1000 as they are).
    public static func step(_ value: Double) -> String {
        let a = abs(value)
        if a >= 1e9 { return trimmed(value / 1e9, digits: 3) + "G" }
        if a >= 1e6 { return trimmed(value / 1e6, digits: 3) + "M" }
        if a >= 1e3 { return trimmed(value / 1e3, digits: 3) + "k" }
        return trimmed(value, digits: 3)
    }

    /// A step with thousands separators, for tables: 16,695.
    public static func wholeStep(_ value: Double) -> String {
        guard value == value.rounded(), abs(value) < 1e15 else { return significant(value, 6) }
        var digits = String(Int64(abs(value)))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// Labels for a set of ticks: the fewest decimals that tell every tick apart and show each
    /// exactly (to 1e-9 relative); scientific notation for tiny or huge values.
    public static func ticks(_ values: [Double]) -> [String] {
        let largest = values.map(abs).max() ?? 0
        if largest > 0, largest < 1e-3 || largest >= 1e7 {
            return values.map { scientific($0) }
        }
        for digits in 0...8 {
            let labels = values.map { fixed($0, digits: digits) }
            let exact = values.allSatisfy { v in abs((Double(fixed(v, digits: digits)) ?? .nan) - v) <= 1e-9 * max(abs(v), 1e-12) }
            if exact, Set(labels).count == labels.count { return labels }
        }
        return values.map { significant($0, 4) }
    }

    /// `digits` significant digits, trailing zeros removed: 3.142, 0.0012, 1.2e+06 (as %g).
    public static func significant(_ value: Double, _ digits: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.\(digits)g", value)
    }

    /// A probability as a percentage: 73%, <1%, >99%.
    public static func percent(_ p: Double) -> String {
        if p > 0, p < 0.005 { return "<1%" }
        if p < 1, p > 0.995 { return ">99%" }
        return "\(Int((p * 100).rounded()))%"
    }

    /// 3e-4, 2.5e-4.
    static func scientific(_ value: Double) -> String {
        guard value != 0 else { return "0" }
        let exponent = Int(floor(log10(abs(value))))
        let mantissa = value / pow(10, Double(exponent))
        return trimmed(mantissa, digits: 2) + "e\(exponent)"
    }

    static func fixed(_ value: Double, digits: Int) -> String {
        let text = String(format: "%.\(digits)f", value)
        return text == "-0" || text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// Up to `digits` decimals without trailing zeros: 2.5, 20, 1.25.
    static func trimmed(_ value: Double, digits: Int) -> String {
        var text = String(format: "%.\(digits)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}

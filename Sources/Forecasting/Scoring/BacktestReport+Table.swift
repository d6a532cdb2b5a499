import Foundation

extension BacktestReport {
    /// A plain-text table, one row per horizon and one indented row per group, in the layout of
    /// CALIBRATION_NOTES: coverage per level (pooled, with the 90% bootstrap interval over curves),
    /// mean CRPS, mean log density and the median relative error of the final forecast; with
    /// `perCurve`, each group's curves follow it, indented further, with the same columns (the
    /// curves column then holds the cut step).
    ///
    /// ```
    /// forecaster: ls-power-law
    /// horizon  curves  points  cov50            cov80            cov95            CRPS       logdens   relerr
    ///     3x       29    1234  .42 [.30,.55]   ...
    ///   gemstones      11  ...
    ///     gemstones/constant/256x23   c=27825  ...
    /// ```
    public func table(perCurve: Bool = false) -> String {
        var lines = ["forecaster: \(forecaster)"]
        let levels = horizons.first?.coverage.map(\.level) ?? CoverageLevels.protocolLevels
        var header = pad("horizon", 22, left: true) + pad("curves", 7) + pad("points", 8)
        for l in levels { header += pad("cov\(Int((l * 100).rounded()))", 17) }
        header += pad("CRPS", 11) + pad("logdens", 10) + pad("relerr", 9) + pad("skipped", 8)
        lines.append(header)
        for h in horizons {
            var row = pad("\(Self.number(h.horizon))x", 22, left: true) + pad("\(h.curveCount)", 7) + pad("\(h.pointCount)", 8)
            for c in h.coverage {
                row += pad("\(Self.fraction(c.pooled)) [\(Self.fraction(c.bootstrapLower)),\(Self.fraction(c.bootstrapUpper))]", 17)
            }
            row += pad(Self.scientific(h.meanCRPS), 11) + pad(String(format: "%.2f", h.meanLogDensity), 10)
            row += pad(Self.percent(h.medianFinalRelativeError), 9) + pad("\(h.skippedCount)", 8)
            lines.append(row)
            for g in h.groups {
                var gr = pad("  " + g.group, 22, left: true) + pad("\(g.curveCount)", 7) + pad("\(g.pointCount)", 8)
                for c in g.coverage { gr += pad(Self.fraction(c.fraction), 17) }
                gr += pad(Self.scientific(g.meanCRPS), 11) + pad(String(format: "%.2f", g.meanLogDensity), 10)
                gr += pad(Self.percent(g.medianFinalRelativeError), 9)
                lines.append(gr)
                guard perCurve else { continue }
                for c in curves where c.horizon == h.horizon && c.group == g.group {
                    lines.append(curveRow(c))
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One curve's row: its id, cut step, scored points, coverage per level, CRPS, log density and
    /// the relative error at its last scored step. An id longer than the column gets its own line.
    private func curveRow(_ c: CurveScore) -> String {
        let name = "    " + c.curveID
        var row = name.count < 22 ? pad(name, 22, left: true) : name + "\n" + pad("", 22, left: true)
        row += pad("c=\(Self.number(c.cut))", 7) + pad("\(c.points.count)", 8)
        for l in c.coverage { row += pad(Self.fraction(l.fraction), 17) }
        row += pad(Self.scientific(c.meanCRPS), 11) + pad(String(format: "%.2f", c.meanLogDensity), 10)
        row += pad(Self.percent(c.finalRelativeError), 9)
        return row
    }

    /// ".42", "1.00"; "-" for NaN.
    static func fraction(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        let s = String(format: "%.2f", x)
        return s.hasPrefix("0.") ? String(s.dropFirst()) : s
    }

    static func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.1f%%", 100 * x) : "-" }

    static func scientific(_ x: Double) -> String { x.isFinite ? String(format: "%.3e", x) : "-" }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    private func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? s + fill : fill + s
    }
}

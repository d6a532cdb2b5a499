import Foundation

extension PosteriorSummary {
    /// The column headers of `table`, in CmdStan `stansummary`'s order (its N_Eff column is the
    /// bulk ESS since CmdStan 2.33; ESS_tail is added).
    static let columnHeaders = ["Mean", "MCSE", "StdDev", "5%", "50%", "95%", "N_Eff(bulk)", "ESS_tail", "R_hat"]

    /// The per-parameter statistics as an aligned text table, one row per parameter, like
    /// `stansummary`: names left-aligned, numbers right-aligned, 4 significant digits for
    /// location and scale, 2 for the MCSE, whole numbers for ESS, 3 decimals for R-hat.
    public var table: String {
        let rows: [[String]] = parameters.map { p in
            [
                SummaryFormat.significant(p.mean, 4), SummaryFormat.significant(p.mcseMean, 2),
                SummaryFormat.significant(p.standardDeviation, 4), SummaryFormat.significant(p.q5, 4),
                SummaryFormat.significant(p.q50, 4), SummaryFormat.significant(p.q95, 4),
                SummaryFormat.fixed(p.essBulk, digits: 0), SummaryFormat.fixed(p.essTail, digits: 0),
                SummaryFormat.fixed(p.rhat, digits: 3),
            ]
        }
        let nameWidth = max(4, parameters.map(\.name.count).max() ?? 0)
        let widths = Self.columnHeaders.indices.map { c in
            max(Self.columnHeaders[c].count, rows.map { $0[c].count }.max() ?? 0)
        }
        func line(_ name: String, _ cells: [String]) -> String {
            var text = name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            for (cell, width) in zip(cells, widths) {
                text += "  " + String(repeating: " ", count: max(0, width - cell.count)) + cell
            }
            return text
        }
        var lines = [line("", Self.columnHeaders)]
        for (p, cells) in zip(parameters, rows) { lines.append(line(p.name, cells)) }
        return lines.joined(separator: "\n")
    }

    /// A header with the run's shape, the table, the sampler's numbers, and the warnings.
    public var description: String {
        var lines = ["\(chains) chains, each with \(drawsPerChain) draws; \(chains * drawsPerChain) draws in total.", ""]
        lines.append(table)
        if let s = sampler {
            lines.append("")
            lines.append("Step size: " + s.stepSizes.map { SummaryFormat.significant($0, 3) }.joined(separator: ", "))
            lines.append("Leapfrog steps: " + s.leapfrogSteps.map(String.init).joined(separator: ", "))
            lines.append("E-BFMI: " + s.energyBFMI.map { SummaryFormat.fixed($0, digits: 3) }.joined(separator: ", "))
            lines.append("Divergences: \(s.totalDivergences) of \(s.totalTransitions); "
                + "maximum tree depth (\(s.maximumTreeDepth)) reached: \(s.totalTreeDepthHits)")
        }
        let found = warnings
        lines.append("")
        if found.isEmpty {
            lines.append("No problems detected (R-hat <= \(ConvergenceThresholds.maximumRHat), "
                + "ESS >= \(SummaryFormat.fixed(minimumESS, digits: 0)), no divergences).")
        } else {
            lines.append("Warnings:")
            lines += found.map { "  - " + $0.message }
        }
        return lines.joined(separator: "\n")
    }
}

/// Number formatting for the summary table and warnings.
enum SummaryFormat {
    /// `value` with a fixed number of decimals; "nan"/"inf" spelled out.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.\(digits)f", value)
    }

    /// `value` to a number of significant digits (printf's %g).
    static func significant(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.\(digits)g", value)
    }
}

import Foundation

extension ReplayPopulationReport {
    /// A plain-text table: the "train everything" baseline and the record floor (`ReplayRecordFloor`:
    /// the least compute at zero regret of a rule that never stops a run that would beat the
    /// incumbent), then one row per rule, with mean and max over the orders of the compute
    /// fraction and the regret, the mean number of runs stopped and the share of orders in which
    /// the best run finished; then the targets.
    ///
    /// ```
    /// gemstones/half-lr: 10 runs, horizon 23840, best gemstones/half-lr/1536x50 (2.607); 20 orders; 70 fits in 88 s (...)
    /// rule                    compute mean  compute max  regret mean  regret max  stopped  best finished
    /// train everything               1.000        1.000            0           0      0.0           100%
    /// record floor                   0.293        0.600            0           0        -           100%
    /// predictive p < 0.01            0.412        0.530            0           0      7.9           100%
    /// ```
    public func table() -> String {
        let strict = String(format: "%.0f%%", strictFailureShare * 100)
        let divergent = String(format: "%.0f%%", divergenceFailureShare * 100)
        var lines = [
            "\(name): \(runIDs.count) runs, horizon \(Self.step(horizon)), best \(bestRun) (\(String(format: "%.4g", bestFinalValue))); "
                + "\(orders) orders; \(fits) fits in \(String(format: "%.0f", fitSeconds)) s "
                + "(\(strict) fail the strict diagnostics, \(divergent) diverge too often to stop on)",
        ]
        let header = ["rule", "compute mean", "compute max", "regret mean", "regret max", "stopped", "best finished"]
        var rows = [["train everything", "1.000", "1.000", "0", "0", "0.0", "100%"]]
        if !recordFloors.isEmpty {
            rows.append(["record floor", Self.fraction(recordFloor), Self.fraction(recordFloorMax), "0", "0", "-", "100%"])
        }
        for r in rules {
            rows.append([r.rule, Self.fraction(r.computeMean), Self.fraction(r.computeMax), Self.regret(r.regretMean),
                         Self.regret(r.regretMax), String(format: "%.1f", r.stoppedMean),
                         String(format: "%.0f%%", r.zeroRegretShare * 100)])
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        for row in [header] + rows {
            lines.append(row.enumerated().map { c, cell in
                let fill = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + fill : fill + cell
            }.joined(separator: "  "))
        }
        lines.append(targetsLine)
        return lines.joined(separator: "\n")
    }

    /// "targets: compute at zero regret 0.31 <= 0.5 (p < 0.05): met; vs median rule: better; ..."
    public var targetsLine: String {
        var parts: [String] = []
        if let best = cheapestZeroRegretPredictive {
            parts.append("compute at zero regret \(Self.fraction(best.computeMean)) (\(best.rule)) "
                         + (meetsComputeTarget ? "<= 0.5: met" : "> 0.5: not met"))
        } else {
            parts.append("no predictive threshold has zero regret in every order: compute target not met")
        }
        for b in baselineRows {
            parts.append("vs \(b.rule): \(comparison(with: b).rawValue)")
        }
        if recordFloor > Self.computeTarget {
            parts.append("record floor \(Self.fraction(recordFloor)) > 0.5: out of reach for a rule that never stops a run that would beat the incumbent")
        }
        return "targets: " + parts.joined(separator: "; ") + (meetsTargets ? " => met" : " => not met")
    }

    static func fraction(_ x: Double) -> String { x.isFinite ? String(format: "%.3f", x) : "-" }
    static func regret(_ x: Double) -> String { x.isFinite ? (x == 0 ? "0" : String(format: "%.4f", x)) : "-" }
    static func step(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(format: "%.6g", x) }
}

extension ReplayReport {
    /// Every population's table, the groups left out, the settings and the time.
    public func table() -> String {
        var blocks = populations.map { $0.table() }
        if !tooSmall.isEmpty {
            blocks.append("left out (fewer runs than --min-runs): " + tooSmall.map { "\($0.name) (\($0.runs))" }.joined(separator: ", "))
        }
        blocks.append((settings + [String(format: "%.0f s in all", seconds)]).joined(separator: "\n"))
        return blocks.joined(separator: "\n\n")
    }
}

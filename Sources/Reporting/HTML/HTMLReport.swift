/// The whole report: a title and one or more runs.
public struct ReportDocument: Sendable, Equatable {
    public var title: String
    public var runs: [ReportRun]
    /// Axes for every chart (nil: each run's default).
    public var axes: AxisScale.Kind?
    /// A line at the foot of the page, e.g. "curvecast 0.1.0 · 4 chains x 500 draws".
    public var footer: String?

    public init(title: String, runs: [ReportRun], axes: AxisScale.Kind? = nil, footer: String? = nil) {
        self.title = title
        self.runs = runs
        self.axes = axes
        self.footer = footer
    }
}

/// The report as one self-contained HTML page: inline CSS and SVG, no JavaScript, no network.
///
/// The page is also well-formed XML (XHTML syntax: every element closed, no named entities but
/// the XML ones), so it can be checked with any XML parser.
public enum HTMLReport {
    public static func render(_ document: ReportDocument) -> String {
        var html = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(Markup.escape(document.title))</title>
        <style>
        \(stylesheet)
        </style>
        </head>
        <body>
        <h1>\(Markup.escape(document.title))</h1>

        """
        if document.runs.count > 1 { html += overview(document.runs) }
        for (index, run) in document.runs.enumerated() {
            html += section(run, index: index, axes: document.axes)
        }
        if let footer = document.footer { html += "<footer>\(Markup.escape(footer))</footer>\n" }
        html += "</body>\n</html>\n"
        return html
    }

    /// The runs in the overview's order: best forecast median at the horizon first (lowest when
    /// minimizing); runs without a forecast last, in their given order.
    public static func overviewOrder(_ runs: [ReportRun]) -> [Int] {
        runs.indices.sorted { a, b in
            switch (runs[a].horizon?.median, runs[b].horizon?.median) {
            case let (x?, y?) where x != y: return ReportRun.isBetter(x, than: y, direction: runs[a].direction)
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
    }

    static func overview(_ runs: [ReportRun]) -> String {
        let anyTarget = runs.contains { $0.target != nil }
        var rows = ""
        for (rank, index) in overviewOrder(runs).enumerated() {
            let run = runs[index]
            let h = run.horizon
            var cells = [
                "\(rank + 1)", "<a href=\"#run-\(index + 1)\">\(Markup.escape(run.name))</a>",
                h.map { ReportNumberFormat.wholeStep($0.step) } ?? "-",
                h.map { ReportNumberFormat.significant($0.median) } ?? "-",
                h.map { interval($0, ReportBand(coverage: 0.95)) } ?? "-",
            ]
            if anyTarget { cells.append(targetCell(run)) }
            cells.append(run.diagnosticsPass ? "pass" : "<span class=\"fail\">FAILED</span>")
            rows += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        let header = ["#", "run", "horizon step", "median", "95% interval"] + (anyTarget ? ["P(beat target)"] : []) + ["diagnostics"]
        return """
        <section class="overview">
        <h2>Overview</h2>
        <p>\(runs.count) runs, best forecast median at the horizon first (\(runs[0].direction == .minimize ? "lowest" : "highest") \(Markup.escape(runs[0].metric))).</p>
        <table>
        <thead><tr>\(header.map { "<th>\(Markup.escape($0))</th>" }.joined())</tr></thead>
        <tbody>
        \(rows)</tbody>
        </table>
        </section>

        """
    }

    static func section(_ run: ReportRun, index: Int, axes: AxisScale.Kind?) -> String {
        var html = "<section class=\"run\" id=\"run-\(index + 1)\">\n<h2>\(Markup.escape(run.name))</h2>\n"
        let fitted = run.observedSteps.filter { $0 <= run.fitUntil }.count
        var facts = "\(Markup.escape(run.metric)) (\(run.direction.rawValue)), \(fitted) points fitted up to step \(ReportNumberFormat.wholeStep(run.fitUntil))"
        let heldOut = run.observedSteps.count - fitted
        if heldOut > 0 { facts += ", \(heldOut) later points held out (drawn hollow)" }
        html += "<p class=\"facts\">\(facts).</p>\n"
        if !run.diagnosticsPass {
            html += "<p class=\"banner fail\">The sampler's diagnostics FAILED: do not trust this forecast. See the diagnostics below.</p>\n"
        }
        let options = ChartOptions(axes: axes, idPrefix: "run\(index + 1)")
        html += "<figure>\n" + FanChart.svg(for: run, options: options) + "</figure>\n"
        html += "<div class=\"tables\">\n"
        html += horizonTable(run)
        html += modelsTable(run)
        html += "</div>\n"
        html += diagnosticsTables(run)
        html += "</section>\n\n"
        return html
    }

    static func horizonTable(_ run: ReportRun) -> String {
        guard let h = run.horizon else { return "<p>No forecast.</p>\n" }
        var rows: [(String, String)] = [
            ("step", "\(ReportNumberFormat.wholeStep(h.step)) (\(ReportNumberFormat.significant(h.step / run.fitUntil, 3))x the last fitted step)"),
            ("median", ReportNumberFormat.significant(h.median)),
            ("mean", ReportNumberFormat.significant(h.mean)),
        ]
        for band in ReportBand.standard.reversed() { rows.append(("\(band.label) interval", interval(h, band))) }
        if let target = run.target {
            rows.append(("target", ReportNumberFormat.significant(target)))
            rows.append(("P(\(run.direction == .minimize ? "below" : "above") target)", targetCell(run)))
        }
        if run.discrepancyRate > 0 {
            rows.append(("model discrepancy", "\(ReportNumberFormat.significant(100 * run.discrepancyRate, 2))% of log loss per e-fold of extrapolation (leave-future-out calibration)"))
        }
        return table(caption: "Forecast at the horizon", header: nil, rows: rows.map { [Markup.escape($0.0), $0.1] })
    }

    static func modelsTable(_ run: ReportRun) -> String {
        let rows = run.models.map { m in
            [Markup.escape(m.name), ReportNumberFormat.significant(m.weight, 3), Markup.escape(m.noise ?? "-"),
             m.diagnosticsPass ? "pass" : "<span class=\"fail\">FAILED</span>"]
        }
        let caption = run.modelLabel == "auto" ? "Models (automatic average)" : "Model"
        return table(caption: caption, header: ["model", "weight", "noise", "diagnostics"], rows: rows)
    }

    static func diagnosticsTables(_ run: ReportRun) -> String {
        var html = ""
        for model in run.models {
            let rows = model.checks.map { c in
                [Markup.escape(c.name), Markup.escape(c.value), Markup.escape(c.threshold),
                 c.passed ? "ok" : "<span class=\"fail\">FAILED</span>: \(Markup.escape(c.meaning))"]
            }
            var caption = "Sampler diagnostics: \(model.name)"
            if let line = model.samplerLine { caption += " (\(line))" }
            html += "<div class=\"diagnostics\">\n"
            html += table(caption: caption, header: ["check", "value", "rule", "verdict"], rows: rows.map { $0 })
            if !model.warnings.isEmpty {
                // A short list is shown; a long one (a warning per parameter) folds away, no script needed.
                let list = "<ul class=\"warnings\">\n" + model.warnings.map { "<li>\(Markup.escape($0))</li>\n" }.joined() + "</ul>\n"
                if model.warnings.count <= Self.unfoldedWarnings {
                    html += list
                } else {
                    html += "<details>\n<summary class=\"fail\">\(model.warnings.count) sampler warnings for \(Markup.escape(model.name)) (click to show)</summary>\n\(list)</details>\n"
                }
            }
            html += "</div>\n"
        }
        return html
    }

    /// Warning lists longer than this are folded in a `<details>` element.
    static let unfoldedWarnings = 4

    static func table(caption: String, header: [String]?, rows: [[String]]) -> String {
        var html = "<table>\n<caption>\(Markup.escape(caption))</caption>\n"
        if let header { html += "<thead><tr>" + header.map { "<th>\(Markup.escape($0))</th>" }.joined() + "</tr></thead>\n" }
        html += "<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (i, cell) in row.enumerated() { html += header == nil && i == 0 ? "<th scope=\"row\">\(cell)</th>" : "<td>\(cell)</td>" }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func interval(_ point: ReportForecastPoint, _ band: ReportBand) -> String {
        guard let lo = point.quantiles[band.lowerLevel], let hi = point.quantiles[band.upperLevel] else { return "-" }
        return "\(ReportNumberFormat.significant(lo)) – \(ReportNumberFormat.significant(hi))"
    }

    static func targetCell(_ run: ReportRun) -> String {
        guard let target = run.target else { return "-" }
        guard let p = run.probabilityBeatsTarget else { return "- (target \(ReportNumberFormat.significant(target)))" }
        return "\(ReportNumberFormat.percent(p)) (target \(ReportNumberFormat.significant(target)))"
    }

    static let stylesheet = """
    body { font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; color: #222;
           margin: 24px auto; max-width: 940px; padding: 0 16px; line-height: 1.4; }
    h1 { font-size: 22px; margin: 0 0 16px; }
    h2 { font-size: 18px; margin: 28px 0 4px; border-bottom: 1px solid #ddd; padding-bottom: 4px; word-break: break-all; }
    p.facts { color: #555; margin: 4px 0 8px; }
    figure { margin: 8px 0; }
    svg.fan-chart { max-width: 100%; height: auto; }
    .tables { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
    table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
    caption { text-align: left; font-weight: 600; padding: 4px 0; }
    th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
    tbody th { font-weight: normal; color: #555; }
    td { font-variant-numeric: tabular-nums; }
    .fail { color: #b2182b; font-weight: 600; }
    p.banner { background: #fde0dd; border: 1px solid #b2182b; padding: 6px 10px; }
    ul.warnings { color: #b2182b; font-size: 13px; margin: 4px 0 12px; }
    details { margin: 4px 0 12px; font-size: 13px; }
    summary { cursor: pointer; }
    footer { color: #777; font-size: 12px; margin-top: 32px; }
    """
}

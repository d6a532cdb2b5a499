import Foundation

/// How a chart is drawn: axes, size, title.
public struct ChartOptions: Sendable, Equatable {
    /// Both axes log or both linear; nil: the default for the run (`FanChartLayout.defaultAxes`).
    public var axes: AxisScale.Kind?
    /// A title drawn in the chart (the standalone SVG); nil: none (the HTML page has headings).
    public var title: String?
    /// Prefix of the SVG ids (clip paths), unique per chart on a page.
    public var idPrefix: String
    public var width: Double
    public var plotHeight: Double
    public var learningRateHeight: Double

    public init(axes: AxisScale.Kind? = nil, title: String? = nil, idPrefix: String = "chart",
                width: Double = 880, plotHeight: Double = 360, learningRateHeight: Double = 110) {
        self.axes = axes
        self.title = title
        self.idPrefix = idPrefix
        self.width = width
        self.plotHeight = plotHeight
        self.learningRateHeight = learningRateHeight
    }
}

/// Where everything of a fan chart goes: the axis scales and the panels' pixel boxes.
///
/// Tests compute expected pixels through `x.pixel` and `y.pixel` and compare them with the paths
/// parsed back from the SVG.
public struct FanChartLayout: Sendable, Equatable {
    public var width: Double
    public var height: Double
    /// Steps -> pixels (shared by the learning-rate panel).
    public var x: AxisScale
    /// Metric values -> pixels in the main panel.
    public var y: AxisScale
    /// Learning rates -> pixels in the panel under the main one; nil without a schedule.
    public var learningRate: AxisScale?
    /// The main panel: x from `x.start` to `x.end`, y from `plotTop` to `plotBottom`.
    public var plotTop: Double
    public var plotBottom: Double
    public var learningRateTop: Double?
    public var learningRateBottom: Double?
    /// Whether the metric axis asked for log had to fall back to linear (values <= 0).
    public var fellBackToLinear: Bool
    /// Legend entries with their positions (in the top margin, outside the data).
    var legend: [LegendEntry]
    var titleBaseline: Double?

    static let marginLeft = 76.0, marginRight = 28.0, marginBottom = 46.0
    static let panelGap = 16.0
    static let legendRowHeight = 20.0, legendFontWidth = 6.6

    /// Log-log for a minimized metric (a loss falls like a power law, a straight line there);
    /// for a maximized one (an accuracy near 1) the y axis stays linear unless asked.
    public static func defaultAxes(for run: ReportRun) -> (x: AxisScale.Kind, y: AxisScale.Kind) {
        run.direction == .minimize ? (.log, .log) : (.log, .linear)
    }

    public init(run: ReportRun, options: ChartOptions = ChartOptions()) {
        width = options.width
        let kinds = options.axes.map { ($0, $0) } ?? Self.defaultAxes(for: run)
        let left = Self.marginLeft, right = options.width - Self.marginRight

        legend = Self.legendEntries(run: run, left: left, right: right)
        var top = 10.0
        if options.title != nil {
            titleBaseline = 24
            top = 36
        }
        let rows = (legend.map(\.row).max() ?? -1) + 1
        for i in legend.indices { legend[i].y = top + Double(legend[i].row) * Self.legendRowHeight + 8 }
        top += Double(rows) * Self.legendRowHeight + 10
        plotTop = top
        plotBottom = top + options.plotHeight

        var steps = run.observedSteps + run.forecast.map(\.step) + [run.fitUntil]
        if let lr = run.learningRate { steps += lr.steps }
        x = AxisScale.fitting(steps, kind: kinds.0, padding: 0.02, start: left, end: right)

        var values = run.observedValues
        for p in run.forecast {
            values.append(p.median)
            for band in ReportBand.standard {
                if let v = p.quantiles[band.lowerLevel] { values.append(v) }
                if let v = p.quantiles[band.upperLevel] { values.append(v) }
            }
        }
        if let target = run.target { values.append(target) }
        let finite = values.filter(\.isFinite)
        var yKind = kinds.1
        fellBackToLinear = yKind == .log && finite.contains { $0 <= 0 }
        if fellBackToLinear { yKind = .linear }
        y = AxisScale.fitting(finite, kind: yKind, padding: 0.05, start: plotBottom, end: plotTop)

        if let lr = run.learningRate, lr.values.contains(where: { $0.isFinite }) {
            let lrTop = plotBottom + Self.panelGap
            let lrBottom = lrTop + options.learningRateHeight
            let highest = lr.values.filter(\.isFinite).max() ?? 1
            let lowest = min(0, lr.values.filter(\.isFinite).min() ?? 0)
            let upper = highest > lowest ? highest + (highest - lowest) * 0.08 : lowest + 1
            learningRate = AxisScale(kind: .linear, lower: lowest, upper: upper, start: lrBottom, end: lrTop)
            learningRateTop = lrTop
            learningRateBottom = lrBottom
            height = lrBottom + Self.marginBottom
        } else {
            height = plotBottom + Self.marginBottom
        }
    }

    /// One legend entry: its symbol and text, laid out left to right and wrapped into rows.
    struct LegendEntry: Sendable, Equatable {
        enum Symbol: Sendable, Equatable {
            case dot(hollow: Bool), line(dashed: Bool, color: String), swatch(String)
        }
        var symbol: Symbol
        var text: String
        var x: Double
        var row: Int
        var y: Double = 0
    }

    static func legendEntries(run: ReportRun, left: Double, right: Double) -> [LegendEntry] {
        var items: [(LegendEntry.Symbol, String)] = [(.dot(hollow: false), "observed (fitted)")]
        if run.observedSteps.contains(where: { $0 > run.fitUntil }) { items.append((.dot(hollow: true), "observed (held out)")) }
        items.append((.line(dashed: false, color: FanChartStyle.median), "forecast median"))
        for (band, color) in zip(ReportBand.standard.reversed(), FanChartStyle.bandColors.reversed()) {
            items.append((.swatch(color), "\(band.label) interval"))
        }
        items.append((.line(dashed: true, color: FanChartStyle.cutOff), "fit cut-off"))
        if run.target != nil { items.append((.line(dashed: true, color: FanChartStyle.target), "target")) }
        var entries: [LegendEntry] = []
        var cursor = left, row = 0
        for (symbol, text) in items {
            let width = 26 + Double(text.count) * legendFontWidth + 18
            if cursor + width > right, cursor > left {
                row += 1
                cursor = left
            }
            entries.append(LegendEntry(symbol: symbol, text: text, x: cursor, row: row))
            cursor += width
        }
        return entries
    }
}

/// Colors of the fan chart (ColorBrewer "Blues" for the bands: light = wide, dark = narrow).
enum FanChartStyle {
    /// 95%, 80%, 50%: the order of `ReportBand.standard`.
    static let bandColors = ["#c6dbef", "#8fbfe0", "#4f97cc"]
    static let median = "#08306b"
    static let observed = "#222222"
    static let heldOut = "#d94801"
    static let cutOff = "#555555"
    static let target = "#b2182b"
    static let grid = "#e6e6e6"
    static let axis = "#444444"
    static let learningRate = "#6a51a3"
    static let font = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
}

import Foundation

/// The fan chart of one run as SVG: observed points, the forecast median, the 50/80/95% bands
/// (light to dark), the fit cut-off, the target, and the learning-rate panel when known.
///
/// A pure function of the run and the options; every style is a presentation attribute, so the
/// SVG looks the same standalone and inline in the HTML page.
///
/// Band paths (class `band band-95` etc.) trace the upper edge from the first forecast step to the
/// horizon, then the lower edge back: `M x,y L x,y ... Z`, pixels through `FanChartLayout`.
public enum FanChart {
    /// More observed points than this are thinned evenly for drawing (the chart cannot show more).
    static let maximumDrawnPoints = 1500

    public static func svg(for run: ReportRun, options: ChartOptions = ChartOptions()) -> String {
        let layout = FanChartLayout(run: run, options: options)
        var svg = SVGWriter()
        let w = layout.width, h = layout.height
        svg.open("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("width", Markup.px(w)), ("height", Markup.px(h)),
            ("viewBox", "0 0 \(Markup.px(w)) \(Markup.px(h))"), ("font-family", FanChartStyle.font),
            ("font-size", "12"), ("role", "img"), ("class", "fan-chart"),
            ("aria-label", "fan chart of \(run.metric) for \(run.name)"),
        ])
        svg.element("title", text: "\(run.name): \(run.metric) forecast")
        let clip = "\(options.idPrefix)-plot"
        let clipLR = "\(options.idPrefix)-lr"
        svg.open("defs")
        clipRect(&svg, id: clip, layout.x, top: layout.plotTop, bottom: layout.plotBottom)
        if let top = layout.learningRateTop, let bottom = layout.learningRateBottom {
            clipRect(&svg, id: clipLR, layout.x, top: top, bottom: bottom)
        }
        svg.close("defs")
        svg.empty("rect", [("x", "0"), ("y", "0"), ("width", Markup.px(w)), ("height", Markup.px(h)), ("fill", "#ffffff")])
        if let title = options.title, let baseline = layout.titleBaseline {
            svg.element("text", [("x", Markup.px(layout.x.start)), ("y", Markup.px(baseline)), ("font-size", "16"),
                                 ("font-weight", "600"), ("class", "chart-title")], text: title)
        }
        legend(&svg, layout)

        let xValues = layout.x.ticks(target: 8)
        let xKept = thinned(xValues, labels: xValues.map(ReportNumberFormat.step), scale: layout.x, horizontal: true)
        let yValues = layout.y.ticks(target: 7)
        let yKept = thinned(yValues, labels: ReportNumberFormat.ticks(yValues), scale: layout.y, horizontal: false)

        // Grid first, under everything.
        svg.open("g", [("class", "grid"), ("stroke", FanChartStyle.grid), ("stroke-width", "1")])
        for (v, _) in xKept { verticalLine(&svg, layout.x.pixel(v), layout.plotTop, layout.plotBottom) }
        for (v, _) in yKept {
            let py = layout.y.pixel(v)
            svg.empty("line", [("x1", Markup.px(layout.x.start)), ("x2", Markup.px(layout.x.end)), ("y1", Markup.px(py)), ("y2", Markup.px(py))])
        }
        svg.close("g")

        svg.open("g", [("clip-path", "url(#\(clip))"), ("class", "data")])
        bands(&svg, run, layout)
        median(&svg, run, layout)
        observed(&svg, run, layout)
        svg.close("g")

        cutOff(&svg, run, layout)
        target(&svg, run, layout)

        // Frame, ticks and labels of the main panel.
        frame(&svg, layout.x, top: layout.plotTop, bottom: layout.plotBottom)
        yAxisLabels(&svg, yKept, layout.y, x: layout.x.start)
        let axisNote = { (kind: AxisScale.Kind) in kind == .log ? " (log scale)" : "" }
        rotatedTitle(&svg, run.metric + axisNote(layout.y.kind), x: 18, y: (layout.plotTop + layout.plotBottom) / 2)

        var bottom = layout.plotBottom
        if let lr = layout.learningRate, let series = run.learningRate, let top = layout.learningRateTop,
           let lrBottom = layout.learningRateBottom {
            learningRatePanel(&svg, series, layout, lr, top: top, bottom: lrBottom, clip: clipLR, xKept: xKept)
            bottom = lrBottom
        }
        xAxisLabels(&svg, xKept, layout.x, y: bottom)
        svg.element("text", [("x", Markup.px((layout.x.start + layout.x.end) / 2)), ("y", Markup.px(bottom + 38)),
                             ("text-anchor", "middle"), ("fill", FanChartStyle.axis), ("class", "axis-title")],
                    text: "step" + axisNote(layout.x.kind))
        svg.close("svg")
        return svg.text
    }

    // MARK: - Data

    static func bands(_ svg: inout SVGWriter, _ run: ReportRun, _ layout: FanChartLayout) {
        for (band, color) in zip(ReportBand.standard, FanChartStyle.bandColors) {
            let points = run.forecast.compactMap { p -> (Double, Double, Double)? in
                guard let lo = p.quantiles[band.lowerLevel], let hi = p.quantiles[band.upperLevel],
                      lo.isFinite, hi.isFinite, layout.y.kind == .linear || (lo > 0 && hi > 0) else { return nil }
                return (p.step, lo, hi)
            }
            guard !points.isEmpty else { continue }
            let upper = points.map { (layout.x.pixel($0.0), layout.y.pixel($0.2)) }
            let lower = points.reversed().map { (layout.x.pixel($0.0), layout.y.pixel($0.1)) }
            svg.empty("path", [("class", "band band-\(Int((band.coverage * 100).rounded()))"), ("fill", color),
                               ("stroke", "none"), ("d", pathData(upper + lower, closed: true))])
        }
    }

    static func median(_ svg: inout SVGWriter, _ run: ReportRun, _ layout: FanChartLayout) {
        let points = run.forecast.filter { $0.median.isFinite && (layout.y.kind == .linear || $0.median > 0) }
            .map { (layout.x.pixel($0.step), layout.y.pixel($0.median)) }
        guard points.count > 1 else { return }
        svg.empty("path", [("class", "median"), ("fill", "none"), ("stroke", FanChartStyle.median), ("stroke-width", "2.2"),
                           ("stroke-linejoin", "round"), ("d", pathData(points, closed: false))])
    }

    static func observed(_ svg: inout SVGWriter, _ run: ReportRun, _ layout: FanChartLayout) {
        let count = run.observedSteps.count
        let stride = max(1, Int((Double(count) / Double(maximumDrawnPoints)).rounded(.up)))
        var fitted = "", heldOut = ""
        for i in Swift.stride(from: 0, to: count, by: stride) {
            let s = run.observedSteps[i], v = run.observedValues[i]
            guard s.isFinite, v.isFinite, layout.x.kind == .linear || s > 0, layout.y.kind == .linear || v > 0 else { continue }
            let center = "cx=\"\(Markup.px(layout.x.pixel(s)))\" cy=\"\(Markup.px(layout.y.pixel(v)))\""
            if s <= run.fitUntil { fitted += "<circle \(center) r=\"2.6\"/>" } else { heldOut += "<circle \(center) r=\"2.2\"/>" }
        }
        svg.raw("<g class=\"observed\" fill=\"\(FanChartStyle.observed)\">\(fitted)</g>")
        if !heldOut.isEmpty {
            svg.raw("<g class=\"held-out\" fill=\"none\" stroke=\"\(FanChartStyle.heldOut)\" stroke-width=\"1.1\">\(heldOut)</g>")
        }
    }

    static func cutOff(_ svg: inout SVGWriter, _ run: ReportRun, _ layout: FanChartLayout) {
        guard layout.x.contains(run.fitUntil) else { return }
        let px = layout.x.pixel(run.fitUntil)
        svg.empty("line", [("class", "cut-off"), ("x1", Markup.px(px)), ("x2", Markup.px(px)), ("y1", Markup.px(layout.plotTop)),
                           ("y2", Markup.px(layout.learningRateBottom ?? layout.plotBottom)), ("stroke", FanChartStyle.cutOff),
                           ("stroke-width", "1.3"), ("stroke-dasharray", "5 4")])
        let text = "fit cut-off: step \(ReportNumberFormat.wholeStep(run.fitUntil))"
        let top = layout.plotTop + 15, bottom = layout.plotBottom - 8
        let spot = place([
            self.spot(text: text, x: px + 6, baseline: top, anchor: "start"),
            self.spot(text: text, x: px - 6, baseline: top, anchor: "end"),
            self.spot(text: text, x: px + 6, baseline: bottom, anchor: "start"),
            self.spot(text: text, x: px - 6, baseline: bottom, anchor: "end"),
        ], panel: panelBox(layout), avoiding: occupied(run, layout))
        svg.element("text", halo([("x", Markup.px(spot.x)), ("y", Markup.px(spot.baseline)), ("text-anchor", spot.anchor),
                                  ("fill", FanChartStyle.cutOff), ("font-size", "11"), ("class", "cut-off-label")]), text: text)
    }

    static func panelBox(_ layout: FanChartLayout) -> Box {
        Box(left: layout.x.start, top: layout.plotTop, right: layout.x.end, bottom: layout.plotBottom)
    }

    static func target(_ svg: inout SVGWriter, _ run: ReportRun, _ layout: FanChartLayout) {
        guard let target = run.target, target.isFinite, layout.y.contains(target) else { return }
        let py = layout.y.pixel(target)
        svg.empty("line", [("class", "target"), ("x1", Markup.px(layout.x.start)), ("x2", Markup.px(layout.x.end)),
                           ("y1", Markup.px(py)), ("y2", Markup.px(py)), ("stroke", FanChartStyle.target),
                           ("stroke-width", "1.5"), ("stroke-dasharray", "8 4")])
        var text = "target \(ReportNumberFormat.significant(target))"
        if let p = run.probabilityBeatsTarget, let h = run.horizon {
            text += ": P(\(run.direction == .minimize ? "below" : "above") at step \(ReportNumberFormat.wholeStep(h.step))) = \(ReportNumberFormat.percent(p))"
        }
        // Beside the line where it covers no data: right or left end, above or below the line.
        let above = py - 6, below = py + 15
        let right = layout.x.end - 6, left = layout.x.start + 6
        let spot = place([
            self.spot(text: text, x: right, baseline: above, anchor: "end"),
            self.spot(text: text, x: left, baseline: above, anchor: "start"),
            self.spot(text: text, x: right, baseline: below, anchor: "end"),
            self.spot(text: text, x: left, baseline: below, anchor: "start"),
        ], panel: panelBox(layout), avoiding: occupied(run, layout))
        svg.element("text", halo([("x", Markup.px(spot.x)), ("y", Markup.px(spot.baseline)), ("text-anchor", spot.anchor),
                                  ("fill", FanChartStyle.target), ("font-size", "11"), ("font-weight", "600"),
                                  ("class", "target-label")]), text: text)
    }

    static func learningRatePanel(
        _ svg: inout SVGWriter, _ series: LearningRateSeries, _ layout: FanChartLayout, _ scale: AxisScale,
        top: Double, bottom: Double, clip: String, xKept: [(Double, String)]
    ) {
        let ticks = scale.ticks(target: 3)
        let kept = thinned(ticks, labels: ReportNumberFormat.ticks(ticks), scale: scale, horizontal: false)
        svg.open("g", [("class", "grid"), ("stroke", FanChartStyle.grid), ("stroke-width", "1")])
        for (v, _) in xKept { verticalLine(&svg, layout.x.pixel(v), top, bottom) }
        for (v, _) in kept {
            let py = scale.pixel(v)
            svg.empty("line", [("x1", Markup.px(layout.x.start)), ("x2", Markup.px(layout.x.end)), ("y1", Markup.px(py)), ("y2", Markup.px(py))])
        }
        svg.close("g")
        let points = zip(series.steps, series.values).filter { $0.0.isFinite && $0.1.isFinite && (layout.x.kind == .linear || $0.0 > 0) }
            .map { (layout.x.pixel($0.0), scale.pixel($0.1)) }
        if !points.isEmpty {
            svg.empty("path", [("class", "learning-rate"), ("clip-path", "url(#\(clip))"), ("fill", "none"),
                               ("stroke", FanChartStyle.learningRate), ("stroke-width", "1.8"), ("d", pathData(points, closed: false))])
        }
        frame(&svg, layout.x, top: top, bottom: bottom)
        yAxisLabels(&svg, kept, scale, x: layout.x.start)
        svg.element("text", halo([("x", Markup.px(layout.x.start + 8)), ("y", Markup.px(top + 15)), ("fill", FanChartStyle.learningRate),
                                  ("font-size", "11"), ("class", "panel-title")]), text: series.label)
        rotatedTitle(&svg, "lr", x: 18, y: (top + bottom) / 2)
    }

    // MARK: - Axes and legend

    /// Keeps ticks whose labels do not collide with the previous kept one (greedy, in order).
    static func thinned(_ values: [Double], labels: [String], scale: AxisScale, horizontal: Bool) -> [(Double, String)] {
        var kept: [(Double, String)] = []
        var lastEdge = -Double.infinity
        for (v, label) in zip(values, labels) {
            let p = scale.pixel(v)
            let half = horizontal ? Double(label.count) * 3.4 + 6 : 8
            let (from, to) = scale.end > scale.start ? (p - half, p + half) : (-p - half, -p + half)
            if from >= lastEdge {
                kept.append((v, label))
                lastEdge = to
            }
        }
        return kept
    }

    static func xAxisLabels(_ svg: inout SVGWriter, _ ticks: [(Double, String)], _ x: AxisScale, y: Double) {
        svg.open("g", [("class", "x-ticks"), ("fill", FanChartStyle.axis), ("font-size", "11"), ("text-anchor", "middle")])
        for (v, label) in ticks {
            let px = Markup.px(x.pixel(v))
            svg.empty("line", [("x1", px), ("x2", px), ("y1", Markup.px(y)), ("y2", Markup.px(y + 5)), ("stroke", FanChartStyle.axis)])
            svg.element("text", [("x", px), ("y", Markup.px(y + 18))], text: label)
        }
        svg.close("g")
    }

    static func yAxisLabels(_ svg: inout SVGWriter, _ ticks: [(Double, String)], _ y: AxisScale, x: Double) {
        svg.open("g", [("class", "y-ticks"), ("fill", FanChartStyle.axis), ("font-size", "11"), ("text-anchor", "end")])
        for (v, label) in ticks {
            let py = y.pixel(v)
            svg.empty("line", [("x1", Markup.px(x - 5)), ("x2", Markup.px(x)), ("y1", Markup.px(py)), ("y2", Markup.px(py)), ("stroke", FanChartStyle.axis)])
            svg.element("text", [("x", Markup.px(x - 8)), ("y", Markup.px(py + 4))], text: label)
        }
        svg.close("g")
    }

    static func legend(_ svg: inout SVGWriter, _ layout: FanChartLayout) {
        svg.open("g", [("class", "legend"), ("font-size", "12"), ("fill", FanChartStyle.axis)])
        for entry in layout.legend {
            let x = entry.x, y = entry.y
            switch entry.symbol {
            case .dot(let hollow):
                svg.empty("circle", [("cx", Markup.px(x + 10)), ("cy", Markup.px(y)), ("r", "3.2"),
                                     ("fill", hollow ? "none" : FanChartStyle.observed),
                                     ("stroke", hollow ? FanChartStyle.heldOut : "none"), ("stroke-width", "1.4")])
            case .line(let dashed, let color):
                var attributes = [("x1", Markup.px(x)), ("x2", Markup.px(x + 20)), ("y1", Markup.px(y)), ("y2", Markup.px(y)),
                                  ("stroke", color), ("stroke-width", dashed ? "1.5" : "2.2")]
                if dashed { attributes.append(("stroke-dasharray", "5 3")) }
                svg.empty("line", attributes)
            case .swatch(let color):
                svg.empty("rect", [("x", Markup.px(x)), ("y", Markup.px(y - 6)), ("width", "20"), ("height", "12"), ("fill", color)])
            }
            svg.element("text", [("x", Markup.px(x + 26)), ("y", Markup.px(y + 4))], text: entry.text)
        }
        svg.close("g")
    }

    static func frame(_ svg: inout SVGWriter, _ x: AxisScale, top: Double, bottom: Double) {
        svg.empty("rect", [("class", "frame"), ("x", Markup.px(x.start)), ("y", Markup.px(top)), ("width", Markup.px(x.end - x.start)),
                           ("height", Markup.px(bottom - top)), ("fill", "none"), ("stroke", FanChartStyle.axis)])
    }

    static func clipRect(_ svg: inout SVGWriter, id: String, _ x: AxisScale, top: Double, bottom: Double) {
        svg.open("clipPath", [("id", id)])
        svg.empty("rect", [("x", Markup.px(x.start)), ("y", Markup.px(top)), ("width", Markup.px(x.end - x.start)), ("height", Markup.px(bottom - top))])
        svg.close("clipPath")
    }

    static func verticalLine(_ svg: inout SVGWriter, _ px: Double, _ top: Double, _ bottom: Double) {
        svg.empty("line", [("x1", Markup.px(px)), ("x2", Markup.px(px)), ("y1", Markup.px(top)), ("y2", Markup.px(bottom))])
    }

    static func rotatedTitle(_ svg: inout SVGWriter, _ text: String, x: Double, y: Double) {
        svg.element("text", [("transform", "translate(\(Markup.px(x)),\(Markup.px(y))) rotate(-90)"), ("text-anchor", "middle"),
                             ("fill", FanChartStyle.axis), ("class", "axis-title")], text: text)
    }

    static func halo(_ attributes: [(String, String)]) -> [(String, String)] {
        attributes + [("stroke", "#ffffff"), ("stroke-width", "3"), ("paint-order", "stroke"), ("stroke-linejoin", "round")]
    }

    /// `M x,y L x,y ...` (and `Z` when closed).
    static func pathData(_ points: [(Double, Double)], closed: Bool) -> String {
        var parts: [String] = []
        for (i, p) in points.enumerated() {
            parts.append((i == 0 ? "M" : "L") + "\(Markup.px(p.0)),\(Markup.px(p.1))")
        }
        if closed { parts.append("Z") }
        return parts.joined(separator: " ")
    }
}

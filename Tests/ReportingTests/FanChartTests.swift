import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reporting

/// Coordinates are written with two decimals: half a hundredth plus rounding slack.
private let pixelTolerance = 0.006

@Suite("Fan chart geometry")
struct FanChartTests {
    @Test("the SVG is well-formed and draws the bands widest first, then the median and the points")
    func wellFormedAndOrdered() throws {
        let svg = FanChart.svg(for: sampleRun())
        let doc = try XMLCheck.document(svg)
        #expect(doc.rootElement()?.localName == "svg")
        let bandClasses = XMLCheck.elements("path", in: doc).compactMap { XMLCheck.attribute($0, "class") }.filter { $0.hasPrefix("band") }
        #expect(bandClasses == ["band band-95", "band band-80", "band band-50"])
        let order = XMLCheck.elements("path", in: doc).compactMap { XMLCheck.attribute($0, "class") }
        #expect(order.firstIndex(of: "median")! > order.firstIndex(of: "band band-50")!)
        #expect(!svg.contains("<script"))
    }

    @Test("band edges are the forecast quantiles through the axis scales", arguments: [AxisScale.Kind.log, .linear])
    func bandGeometry(axes: AxisScale.Kind) throws {
        let run = sampleRun()
        let options = ChartOptions(axes: axes)
        let layout = FanChartLayout(run: run, options: options)
        #expect(layout.x.kind == axes && layout.y.kind == axes)
        let doc = try XMLCheck.document(FanChart.svg(for: run, options: options))
        let n = run.forecast.count
        for band in ReportBand.standard {
            let path = try #require(XMLCheck.elements("path", classed: "band-\(Int(band.coverage * 100))", in: doc).first)
            let points = XMLCheck.points(try #require(XMLCheck.attribute(path, "d")))
            #expect(points.count == 2 * n)
            for (i, p) in run.forecast.enumerated() {
                let upper = points[i], lower = points[2 * n - 1 - i]
                #expect(abs(upper.x - layout.x.pixel(p.step)) < pixelTolerance)
                #expect(abs(upper.y - layout.y.pixel(p.quantiles[band.upperLevel]!)) < pixelTolerance)
                #expect(abs(lower.x - layout.x.pixel(p.step)) < pixelTolerance)
                #expect(abs(lower.y - layout.y.pixel(p.quantiles[band.lowerLevel]!)) < pixelTolerance)
            }
        }
        // The example: the 95% band's upper edge at the horizon is the pixel of q0.975.
        let horizon = try #require(run.horizon)
        let band95 = XMLCheck.points(XMLCheck.attribute(XMLCheck.elements("path", classed: "band-95", in: doc)[0], "d")!)
        #expect(abs(band95[n - 1].y - layout.y.pixel(horizon.quantiles[0.975]!)) < pixelTolerance)
        #expect(abs(band95[n - 1].x - layout.x.pixel(horizon.step)) < pixelTolerance)
        // Higher values are drawn higher: the upper edge has the smaller SVG y.
        #expect(band95[n - 1].y < band95[n].y)
    }

    @Test("median, observed points, cut-off and target sit where the scales put them")
    func marks() throws {
        let run = sampleRun(target: 2.1)
        let layout = FanChartLayout(run: run)
        let doc = try XMLCheck.document(FanChart.svg(for: run))
        let median = XMLCheck.points(XMLCheck.attribute(try #require(XMLCheck.elements("path", classed: "median", in: doc).first), "d")!)
        #expect(median.count == run.forecast.count)
        for (m, p) in zip(median, run.forecast) { #expect(abs(m.y - layout.y.pixel(p.quantiles[0.5]!)) < pixelTolerance) }

        let fitted = XMLCheck.elements("circle", in: try #require(XMLCheck.elements("g", classed: "observed", in: doc).first))
        let heldOut = XMLCheck.elements("circle", in: try #require(XMLCheck.elements("g", classed: "held-out", in: doc).first))
        #expect(fitted.count == 20 && heldOut.count == 20)
        let last = fitted[19]
        #expect(abs(Double(XMLCheck.attribute(last, "cx")!)! - layout.x.pixel(200)) < pixelTolerance)
        #expect(abs(Double(XMLCheck.attribute(last, "cy")!)! - layout.y.pixel(run.observedValues[19])) < pixelTolerance)

        let cut = try #require(XMLCheck.elements("line", classed: "cut-off", in: doc).first)
        #expect(abs(Double(XMLCheck.attribute(cut, "x1")!)! - layout.x.pixel(200)) < pixelTolerance)
        let target = try #require(XMLCheck.elements("line", classed: "target", in: doc).first)
        #expect(abs(Double(XMLCheck.attribute(target, "y1")!)! - layout.y.pixel(2.1)) < pixelTolerance)
        let label = try #require(XMLCheck.elements("text", classed: "target-label", in: doc).first)
        #expect(label.stringValue == "target 2.1: P(below at step 2,000) = 42%")
    }

    @Test("the learning-rate panel shares the x axis and sits under the main panel")
    func learningRatePanel() throws {
        let run = sampleRun(learningRate: true)
        let layout = FanChartLayout(run: run)
        let lr = try #require(layout.learningRate)
        #expect(try #require(layout.learningRateTop) > layout.plotBottom)
        let doc = try XMLCheck.document(FanChart.svg(for: run))
        let path = try #require(XMLCheck.elements("path", classed: "learning-rate", in: doc).first)
        let points = XMLCheck.points(XMLCheck.attribute(path, "d")!)
        let series = try #require(run.learningRate)
        #expect(points.count == series.steps.count)
        for (p, (s, v)) in zip(points, zip(series.steps, series.values)) {
            #expect(abs(p.x - layout.x.pixel(s)) < pixelTolerance)
            #expect(abs(p.y - lr.pixel(v)) < pixelTolerance)
        }
        // Without a schedule there is no panel.
        #expect(FanChartLayout(run: sampleRun()).learningRate == nil)
        #expect(!FanChart.svg(for: sampleRun()).contains("learning-rate"))
    }

    @Test("the legend sits above the plot and the tick labels do not overlap")
    func legendAndTicks() throws {
        let run = sampleRun()
        let layout = FanChartLayout(run: run)
        #expect(layout.legend.allSatisfy { $0.y < layout.plotTop })
        let doc = try XMLCheck.document(FanChart.svg(for: run))
        let xLabels = XMLCheck.elements("text", in: try #require(XMLCheck.elements("g", classed: "x-ticks", in: doc).first))
        #expect(xLabels.count >= 3)
        let xs = xLabels.map { Double(XMLCheck.attribute($0, "x")!)! }
        for (a, b) in zip(xLabels.indices, xLabels.indices.dropFirst()) {
            // Label widths at 11 px are below 7 px per character.
            let room = Double(xLabels[a].stringValue!.count + xLabels[b].stringValue!.count) * 3.5
            #expect(xs[b] - xs[a] > room)
        }
        let yLabels = XMLCheck.elements("text", in: try #require(XMLCheck.elements("g", classed: "y-ticks", in: doc).first))
        #expect(yLabels.count >= 3)
        let ys = yLabels.map { Double(XMLCheck.attribute($0, "y")!)! }.sorted()
        for (a, b) in zip(ys, ys.dropFirst()) { #expect(b - a >= 14) }
    }

    @Test("the target and cut-off labels do not cover observed points or bands")
    func labelsAvoidData() throws {
        // Target 2.1 crosses the bands at the horizon, where the label would go first.
        let run = sampleRun(target: 2.1)
        let layout = FanChartLayout(run: run)
        let occupied = FanChart.occupied(run, layout)
        let doc = try XMLCheck.document(FanChart.svg(for: run))
        for className in ["target-label", "cut-off-label"] {
            let label = try #require(XMLCheck.elements("text", classed: className, in: doc).first)
            let spot = FanChart.spot(text: label.stringValue ?? "", x: Double(XMLCheck.attribute(label, "x")!)!,
                                     baseline: Double(XMLCheck.attribute(label, "y")!)!,
                                     anchor: XMLCheck.attribute(label, "text-anchor")!)
            #expect(!occupied.contains { $0.intersects(spot.box) }, "\(className) covers data")
            #expect(spot.box.top >= layout.plotTop && spot.box.bottom <= layout.plotBottom)
        }
        let target = try #require(XMLCheck.elements("text", classed: "target-label", in: doc).first)
        #expect(XMLCheck.attribute(target, "text-anchor") == "start")
    }

    @Test("a log axis falls back to linear when a value is not positive")
    func fallback() {
        var run = sampleRun(target: -0.5)
        run.target = -0.5
        let layout = FanChartLayout(run: run)
        #expect(layout.fellBackToLinear && layout.y.kind == .linear)
        #expect(layout.y.contains(-0.5))
    }

    @Test("text is escaped")
    func escaping() throws {
        let svg = FanChart.svg(for: sampleRun(name: "a<b>&\"c\".csv"), options: ChartOptions(title: "x < y & z"))
        let doc = try XMLCheck.document(svg)
        #expect(XMLCheck.elements("text", classed: "chart-title", in: doc).first?.stringValue == "x < y & z")
    }
}

/// Where labels go so they do not cover the data: the first candidate box that overlaps neither
/// an observed point nor the bands.
extension FanChart {
    struct Box: Equatable {
        var left: Double, top: Double, right: Double, bottom: Double

        func intersects(_ other: Box) -> Bool {
            left < other.right && other.left < right && top < other.bottom && other.top < bottom
        }
    }

    /// A label's candidate spot: the text's anchor point and alignment, and its estimated box.
    struct LabelSpot {
        var x: Double
        var baseline: Double
        var anchor: String
        var box: Box
    }

    /// Average glyph width of an 11 px sans-serif label (bold digits run a little wider).
    static let labelCharacterWidth = 6.3

    static func spot(text: String, x: Double, baseline: Double, anchor: String) -> LabelSpot {
        let width = Double(text.count) * labelCharacterWidth
        let left = anchor == "end" ? x - width : x
        return LabelSpot(x: x, baseline: baseline, anchor: anchor,
                         box: Box(left: left - 2, top: baseline - 11, right: left + width + 2, bottom: baseline + 3))
    }

    /// Boxes around what the data panel shows: each observed point and each segment of the
    /// widest band between consecutive forecast steps.
    static func occupied(_ run: ReportRun, _ layout: FanChartLayout) -> [Box] {
        var boxes: [Box] = []
        for (s, v) in zip(run.observedSteps, run.observedValues) where s.isFinite && v.isFinite {
            guard (layout.x.kind == .linear || s > 0), (layout.y.kind == .linear || v > 0) else { continue }
            let px = layout.x.pixel(s), py = layout.y.pixel(v)
            boxes.append(Box(left: px - 3, top: py - 3, right: px + 3, bottom: py + 3))
        }
        let widest = ReportBand.standard[0]
        let edges = run.forecast.compactMap { p -> (x: Double, top: Double, bottom: Double)? in
            let hi = p.quantiles[widest.upperLevel] ?? p.median, lo = p.quantiles[widest.lowerLevel] ?? p.median
            guard hi.isFinite, lo.isFinite, layout.y.kind == .linear || (lo > 0 && hi > 0) else { return nil }
            return (layout.x.pixel(p.step), layout.y.pixel(hi), layout.y.pixel(lo))
        }
        for (a, b) in zip(edges, edges.dropFirst()) {
            boxes.append(Box(left: a.x, top: min(a.top, b.top) - 2, right: b.x, bottom: max(a.bottom, b.bottom) + 2))
        }
        if edges.count == 1, let e = edges.first { boxes.append(Box(left: e.x - 3, top: e.top, right: e.x + 3, bottom: e.bottom)) }
        return boxes
    }

    /// The first candidate inside `panel` that covers no data; else the first inside `panel`;
    /// else the first.
    static func place(_ candidates: [LabelSpot], panel: Box, avoiding occupied: [Box]) -> LabelSpot {
        let inside = candidates.filter {
            $0.box.left >= panel.left && $0.box.right <= panel.right && $0.box.top >= panel.top && $0.box.bottom <= panel.bottom
        }
        return inside.first { spot in !occupied.contains { $0.intersects(spot.box) } } ?? inside.first ?? candidates[0]
    }
}

import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reporting

@Suite("HTML report")
struct HTMLReportTests {
    @Test("the page is well-formed, self-contained, and has one chart per run")
    func wellFormed() throws {
        let runs = [sampleRun(name: "a.csv"), sampleRun(name: "b & <c>.csv", scale: 0.9, learningRate: true)]
        let html = HTMLReport.render(ReportDocument(title: "Sweep <1>", runs: runs))
        let doc = try XMLCheck.document(html)
        #expect(doc.rootElement()?.localName == "html")
        #expect(XMLCheck.elements("svg", in: doc).count == 2)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link"))
        #expect(XMLCheck.elements("title", in: doc).first?.stringValue == "Sweep <1>")
        // Clip path ids are unique on the page.
        let ids = XMLCheck.elements("clipPath", in: doc).compactMap { XMLCheck.attribute($0, "id") }
        #expect(Set(ids).count == ids.count && ids.count == 3)
    }

    @Test("the overview sorts by the forecast median at the horizon, best first")
    func overview() throws {
        let runs = [sampleRun(name: "mid.csv"), sampleRun(name: "high.csv", scale: 1.2), sampleRun(name: "low.csv", scale: 0.8)]
        #expect(HTMLReport.overviewOrder(runs) == [2, 0, 1])
        let doc = try XMLCheck.document(HTMLReport.render(ReportDocument(title: "t", runs: runs)))
        let overview = try #require(XMLCheck.elements("section", classed: "overview", in: doc).first)
        let names = XMLCheck.elements("a", in: overview).map { $0.stringValue ?? "" }
        #expect(names == ["low.csv", "mid.csv", "high.csv"])
        var maximized = runs
        for i in maximized.indices { maximized[i].direction = .maximize }
        #expect(HTMLReport.overviewOrder(maximized) == [1, 0, 2])
        // One run: no overview.
        #expect(!HTMLReport.render(ReportDocument(title: "t", runs: [runs[0]])).contains("class=\"overview\""))
    }

    @Test("the horizon table shows the forecast numbers and P(beat target)")
    func horizonTable() throws {
        let run = sampleRun(target: 2.1)
        let doc = try XMLCheck.document(HTMLReport.render(ReportDocument(title: "t", runs: [run])))
        let tables = XMLCheck.elements("table", in: doc)
        let horizon = try #require(tables.first { XMLCheck.elements("caption", in: $0).first?.stringValue == "Forecast at the horizon" })
        let rows = XMLCheck.elements("tr", in: horizon).map { row in row.children?.compactMap { $0.stringValue } ?? [] }
        let h = try #require(run.horizon)
        #expect(rows.contains(["median", ReportNumberFormat.significant(h.quantiles[0.5]!)]))
        #expect(rows.contains(["95% interval", "\(ReportNumberFormat.significant(h.quantiles[0.025]!)) – \(ReportNumberFormat.significant(h.quantiles[0.975]!))"]))
        #expect(rows.contains(["P(below target)", "42% (target 2.1)"]))
        #expect(rows.contains(["step", "2,000 (10x the last fitted step)"]))
    }

    @Test("failed diagnostics are flagged in words")
    func failedDiagnostics() throws {
        let run = sampleRun(models: [failingModel])
        #expect(!run.diagnosticsPass)
        let html = HTMLReport.render(ReportDocument(title: "t", runs: [run]))
        _ = try XMLCheck.document(html)
        #expect(html.contains("diagnostics FAILED: do not trust this forecast"))
        #expect(html.contains("<span class=\"fail\">FAILED</span>: the posterior may be biased"))
        #expect(html.contains("12 of 2000 transitions diverged"))
        let passing = HTMLReport.render(ReportDocument(title: "t", runs: [sampleRun()]))
        #expect(!passing.contains("FAILED"))
        // A failing model with a negligible weight does not fail the run.
        var light = failingModel
        light.weight = 0.005
        var heavy = sampleRun().models[0]
        heavy.weight = 0.995
        #expect(sampleRun(models: [heavy, light]).diagnosticsPass)
    }
}

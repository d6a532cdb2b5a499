import CommandLineTool
import Foundation
import Testing
import TestSupport
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reporting

/// Runs the command line in-process from the repository root (its Models/ and Priors/).
private func runCLI(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
    let out = TextOutput(), err = TextOutput()
    let context = CommandLineTool.Context(environment: [:], currentDirectory: RepositoryPaths.root, executable: nil)
    let status = CommandLineTool.run(arguments: arguments, stdout: out, stderr: err, context: context)
    return (status, out.text, err.text)
}

/// A fresh temporary directory.
private func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("curvecast-report-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A power-law loss 2 + 5 step^-0.5 with small wiggles and a warmup-then-decay `lr` column.
private func curveCSV(count: Int = 40, level: Double = 2) -> String {
    var lines = ["step,loss,lr"]
    for i in 1...count {
        let step = Double(10 * i)
        let loss = (level + 5 * pow(step, -0.5)) * exp(0.002 * sin(Double(i) * 1.7))
        let lr = 3e-4 * min(1, step / 50) * (1 - step / 1000)
        lines.append("\(Int(step)),\(loss),\(lr)")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// Sampler settings that keep a fit well under a second in debug builds.
private let tinySettings = ["--model", "power_law", "--chains", "2", "--warmup", "150", "--samples", "100", "--quiet"]

@Suite("curvecast report")
struct ReportCommandTests {
    @Test("end to end: two runs to a well-formed page with charts, lr panel, target; --force guards the file")
    func endToEnd() throws {
        let dir = temporaryDirectory()
        let a = dir.appendingPathComponent("a.csv"), b = dir.appendingPathComponent("b.csv")
        try Data(curveCSV().utf8).write(to: a)
        try Data(curveCSV(level: 1.8).utf8).write(to: b)
        let out = dir.appendingPathComponent("report.html")
        let arguments = ["report", a.path, b.path, "--out", out.path, "--target", "2.05", "--fit-until", "200"] + tinySettings
        let first = runCLI(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let html = try String(contentsOf: out, encoding: .utf8)
        let doc = try XMLCheck.document(html)
        #expect(XMLCheck.elements("svg", in: doc).count == 2)
        #expect(XMLCheck.elements("path", classed: "band-95", in: doc).count == 2)
        #expect(XMLCheck.elements("path", classed: "learning-rate", in: doc).count == 2)
        #expect(XMLCheck.elements("line", classed: "target", in: doc).count == 2)
        // The lower curve (b) forecasts lower, so it comes first in the overview.
        let overview = try #require(XMLCheck.elements("section", classed: "overview", in: doc).first)
        #expect(XMLCheck.elements("a", in: overview).map { $0.stringValue ?? "" } == [b.path, a.path])
        #expect(html.contains("P(below target)"))

        let again = runCLI(arguments)
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists; pass --force"))
        #expect(runCLI(arguments + ["--force"]).status == 0)
    }

    @Test("--format svg writes the chart alone; several files are refused")
    func svgFormat() throws {
        let dir = temporaryDirectory()
        let a = dir.appendingPathComponent("a.csv")
        try Data(curveCSV().utf8).write(to: a)
        let out = dir.appendingPathComponent("chart.svg")
        let result = runCLI(["report", a.path, "--format", "svg", "--out", out.path, "--scale-axes", "linear"] + tinySettings)
        #expect(result.status == 0, "\(result.stderr)")
        let doc = try XMLCheck.document(try String(contentsOf: out, encoding: .utf8))
        #expect(doc.rootElement()?.localName == "svg")
        #expect(XMLCheck.elements("text", classed: "chart-title", in: doc).first?.stringValue == a.path)

        let two = runCLI(["report", a.path, a.path, "--format", "svg"])
        #expect(two.status == 2)
        #expect(two.stderr.contains("--format svg draws one run"))
        let bad = runCLI(["report", a.path, "--scale-axes", "cubic"])
        #expect(bad.status == 2 && bad.stderr.contains("'cubic' is not one of log, linear"))
        #expect(runCLI(["report"]).stderr.contains("missing FILE"))
        #expect(runCLI(["report", a.path, "--target", "low"]).stderr.contains("option '--target': 'low' is not a number"))
        let help = runCLI(["help", "report"])
        #expect(help.status == 0 && help.stdout.hasPrefix("usage: curvecast report FILE..."))
        #expect(runCLI(["--help"]).stdout.contains("report FILE...  write an HTML report"))
    }

    @Test("--schedule: a declared annealing schedule picks the schedule-aware law; bad or ambiguous schedules are refused")
    func declaredSchedule() throws {
        let dir = temporaryDirectory()
        let a = dir.appendingPathComponent("a.csv")
        // The curve without its lr column: only the declared schedule says that it anneals.
        let plain = curveCSV().split(separator: "\n").map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
        try Data((plain.joined(separator: "\n") + "\n").utf8).write(to: a)
        let out = dir.appendingPathComponent("report.html")
        let cosine = #"{"kind": "cosine", "total": 1000, "peak": 3e-4, "end": 0, "warmup": 50}"#
        // One short chain: a debug build samples the multi-power law slowly.
        let quick = ["--chains", "1", "--warmup", "60", "--samples", "40", "--quiet"]
        let result = runCLI(["report", a.path, "--out", out.path, "--schedule", cosine, "--horizon", "1000"] + quick)
        #expect(result.status == 0, "\(result.stderr)")
        // Without a schedule, 'auto' fits the schedule-free broken power law (FitCommandTests).
        #expect(try String(contentsOf: out, encoding: .utf8).contains("multi_power"))

        let bad = runCLI(["report", a.path, "--out", dir.appendingPathComponent("bad.html").path, "--schedule", #"{"kind": "cosine"}"#])
        #expect(bad.status == 2 && bad.stderr.contains("missing field \"peak\""), "\(bad.stderr)")
        let two = runCLI(["report", a.path, a.path, "--schedule", cosine])
        #expect(two.status == 2 && two.stderr.contains("--schedule declares one curve's schedule"), "\(two.stderr)")
    }
}

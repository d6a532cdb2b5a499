import Foundation
import Testing
@testable import CommandLineTool

/// `curvecast backtest` on a two-curve corpus written in the shared manifest format.
struct BacktestCommandTests {
    static func corpus() -> URL {
        let dir = temporaryDirectory()
        try! Data(powerLawCSV(count: 40).utf8).write(to: dir.appendingPathComponent("a.csv"))
        try! Data(powerLawCSV(count: 30).utf8).write(to: dir.appendingPathComponent("b.csv"))
        let manifest = """
        {"curves": [
          {"id": "toy/a", "file": "a.csv", "columns": ["step", "loss"], "direction": "minimize", "schedule": {"kind": "constant"}},
          {"id": "toy/b", "file": "b.csv", "columns": ["step", "loss"], "direction": "minimize", "schedule": {"kind": "cosine"}}
        ]}
        """
        try! Data(manifest.utf8).write(to: dir.appendingPathComponent("MANIFEST.json"))
        return dir
    }

    @Test func scoresTheSelectedCurvesAsJSON() throws {
        let dir = Self.corpus()
        let run = runCLI(["backtest", "--corpus", dir.path, "--horizons", "3", "--model", "power_law",
                          "--format", "json"] + tinySettings)
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try parseJSON(run.stdout) as? [String: Any])
        let ours = try #require(object["curvecast"] as? [String: Any])
        let curves = try #require(ours["curves"] as? [[String: Any]])
        // toy/b has a decaying (cosine) schedule: left out unless --all.
        #expect(curves.map { $0["curveID"] as? String } == ["toy/a"])
        let points = try #require(curves.first?["points"] as? [[String: Any]])
        // Cut at step 130 (400 / 130 >= 3, 400 / 140 < 3): steps 140 ... 390 are scored.
        #expect(points.count == 26)
        #expect(object["baseline"] is [String: Any])
        #expect((object["seconds"] as? Double ?? -1) >= 0)
    }

    @Test func allIncludesDecayingSchedulesAndTablesPrint() {
        let run = runCLI(["backtest", "--corpus", Self.corpus().path, "--horizons", "3", "--model", "power_law",
                          "--all", "--no-baseline"] + tinySettings)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("3x") && run.stdout.contains("2 curves"))
        #expect(!run.stdout.contains("least-squares"))
        // Per curve, under its group.
        #expect(run.stdout.split(separator: "\n").contains { $0.hasPrefix("    toy/") }, "\(run.stdout)")
    }

    @Test func errorsNameWhatIsWrong() {
        let missing = runCLI(["backtest"])
        #expect(missing.status == 2 && missing.stderr.contains("--corpus"))
        let noManifest = runCLI(["backtest", "--corpus", temporaryDirectory().path])
        #expect(noManifest.status != 0 && noManifest.stderr.contains("MANIFEST.json"))
        let badHorizon = runCLI(["backtest", "--corpus", "x", "--horizons", "3,0.5"])
        #expect(badHorizon.status == 2 && badHorizon.stderr.contains("0.5"))
    }
}

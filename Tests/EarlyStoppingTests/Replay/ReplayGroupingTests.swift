import Forecasting
import Foundation
import Testing
@testable import EarlyStopping

/// `ReplayGrouping` on a small corpus in the shared manifest format.
struct ReplayGroupingTests {
    static func corpus() throws -> BacktestCorpus {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("curvecast-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var entries: [String] = []
        let runs: [(id: String, total: Int, last: Int)] = [
            ("s/a/1", 24000, 4), ("s/a/2", 24000, 3), ("s/a/3", 16000, 5), ("s/b/1", 24000, 4), ("t/x", 24000, 4),
        ]
        for (k, run) in runs.enumerated() {
            let rows = (1...run.last).map { "\($0 * 100),\(5.0 / Double($0) + Double(k))" }
            try Data((["step,loss"] + rows).joined(separator: "\n").utf8).write(to: dir.appendingPathComponent("\(k).csv"))
            entries.append(#"{"id": "\#(run.id)", "file": "\#(k).csv", "direction": "minimize", "model": "m", "schedule": {"kind": "constant", "total": \#(run.total)}}"#)
        }
        try Data("{\"curves\": [\(entries.joined(separator: ","))]}".utf8).write(to: dir.appendingPathComponent("MANIFEST.json"))
        return try BacktestCorpus(directory: dir)
    }

    @Test func derivedKeysAndManifestFields() throws {
        let corpus = try Self.corpus()
        #expect(corpus.curves[0].fields["schedule.total"] == "24000")
        #expect(ReplayGrouping.value(of: "study", id: "s/a/1", fields: [:]) == "s")
        #expect(ReplayGrouping.value(of: "folder", id: "s/a/1", fields: [:]) == "s/a")
        #expect(ReplayGrouping.value(of: "folder", id: "top", fields: [:]) == "top")
        #expect(ReplayGrouping.value(of: "model", id: "s/a/1", fields: [:]) == "-")
    }

    @Test func groupsByEveryKeyAndLeavesOutSmallGroups() throws {
        let curves = try Self.corpus().curves
        let byFolder = try ReplayGrouping(keys: ["folder"]).populations(curves, minimumRuns: 2)
        #expect(byFolder.populations.map(\.name) == ["s/a"])
        #expect(byFolder.populations[0].runs.map(\.id) == ["s/a/1", "s/a/2", "s/a/3"])
        // The common horizon is the shortest run's last step.
        #expect(byFolder.populations[0].horizon == 300)
        #expect(byFolder.tooSmall.map(\.name) == ["s/b", "t"])
        let byTotal = try ReplayGrouping(keys: ["study", "schedule.total"]).populations(curves, minimumRuns: 1)
        #expect(byTotal.populations.map(\.name) == ["s | 24000", "s | 16000", "t | 24000"])
        #expect(byTotal.populations[0].runs.count == 3)
    }

    @Test func unknownKeysAreNamedWithTheAvailableOnes() throws {
        let curves = try Self.corpus().curves
        #expect(throws: ReplayGrouping.GroupingError.self) { try ReplayGrouping(keys: ["size"]).populations(curves) }
        do {
            _ = try ReplayGrouping(keys: ["size"]).populations(curves)
        } catch {
            #expect("\(error)".contains("'size'") && "\(error)".contains("schedule.total"))
        }
        #expect(throws: ReplayGrouping.GroupingError.noKeys) { try ReplayGrouping(keys: []) }
    }
}

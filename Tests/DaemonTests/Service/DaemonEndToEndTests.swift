@testable import Daemon
import CurveModels
import Foundation
import Testing
import TestSupport

/// The daemon in-process on a temporary folder: runs from log files and from pushes, a
/// malformed run, the API over its Unix socket, a clean stop and a restart from the state.
@Suite(.serialized)
struct DaemonEndToEndTests {
    static let library = try! ModelLibrary.load(directory: RepositoryPaths.root.appendingPathComponent("Models"))
    static let priors = try! PriorSet.loadDefaults(directory: RepositoryPaths.root.appendingPathComponent("Priors"), for: library)

    /// The first `count` lines of a real Gemstones curve (header included).
    static func curvePrefix(_ count: Int, from start: Int = 0) throws -> String {
        let text = try String(contentsOf: RepositoryPaths.sharedFile("curves/gemstones/constant/256x23.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        return ([lines[0]] + lines[(1 + start)..<(1 + start + count)]).joined(separator: "\n") + "\n"
    }

    static func configuration(_ folder: TemporaryFolder) -> WatchConfiguration {
        var study = StudyConfiguration(horizon: 83_475)
        study.target = .value(3.0)
        var configuration = WatchConfiguration(runsDirectory: folder.path("runs"), stateDirectory: folder.path("state"), study: study)
        configuration.pollInterval = 0.1
        configuration.debounce = 0.2
        configuration.workers = 1
        // A debug build samples slowly: a small budget keeps the test quick.
        configuration.budget.coldWarmup = 60
        configuration.budget.warmWarmup = 20
        configuration.budget.samples = 80
        configuration.shutdownGrace = 2
        return configuration
    }

    /// Waits (up to 120 s: debug builds fit slowly) until `condition` holds.
    static func waitFor(_ what: String, _ condition: () -> Bool) throws {
        let deadline = Date(timeIntervalSinceNow: 120)
        while !condition() {
            guard Date() < deadline else {
                Issue.record("timed out waiting for \(what)")
                throw CancellationError()
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    static func decision(_ folder: TemporaryFolder, _ run: String) -> [String: Any]? {
        guard let data = try? Data(contentsOf: folder.path("state/decisions/\(run).json")) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// Runs the Python client of README.md ("The watching daemon") against the daemon, if
    /// python3 is installed: the README must show a client that works.
    static func runTheREADMEPythonClient(socketPath: String) throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile) else { return }
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## The watching daemon").dropFirst().first)
        let code = try #require(section.components(separatedBy: "```python\n").dropFirst().first?.components(separatedBy: "```").first)
        let script = URL(fileURLWithPath: socketPath).deletingLastPathComponent().appendingPathComponent("client.py")
        try Data(code.utf8).write(to: script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, socketPath]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3, "\(text)")
        #expect(lines.contains { $0.hasPrefix("broken error None") }, "\(text)")
        #expect(lines.contains { $0.hasPrefix("good continue") || $0.hasPrefix("good stop") }, "\(text)")
    }

    @Test func watchesPublishesServesStopsAndResumes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("runs/good.csv", try Self.curvePrefix(12))
        try folder.write("runs/broken.csv", "step,loss\n477,3.9\n954,abc\n")
        try folder.write("runs/empty.csv", "step,loss\n")
        let configuration = Self.configuration(folder)
        let daemon = WatchDaemon(configuration: configuration, library: Self.library, priors: Self.priors) { _ in }
        let address = try daemon.start()
        guard case .unix(let socketPath) = address else {
            Issue.record("expected the default Unix socket")
            return
        }
        var status = stat()
        #expect(lstat(socketPath, &status) == 0 && status.st_mode & 0o777 == 0o600)

        // The good run is fitted; the broken one reported with its error; the empty one waits.
        try Self.waitFor("good's decision") { Self.decision(folder, "good")?["forecast"] is [String: Any] }
        let good = try #require(Self.decision(folder, "good"))
        #expect(good["schema_version"] as? Int == 1 && good["run"] as? String == "good" && good["points"] as? Int == 12)
        #expect(["continue", "stop"].contains(good["decision"] as? String))
        #expect(good["probability"] is Double && good["last_step"] as? Double == 5724)
        #expect((good["model"] as? [String: Any])?["name"] as? String == "power_law")
        #expect((good["target"] as? [String: Any])?["kind"] as? String == "fixed")
        try Self.waitFor("broken's decision") { Self.decision(folder, "broken") != nil }
        let broken = try #require(Self.decision(folder, "broken"))
        #expect(broken["decision"] as? String == "error")
        #expect((broken["error"] as? String)?.contains("broken.csv:3") == true)
        try Self.waitFor("empty's decision") { Self.decision(folder, "empty") != nil }
        let empty = Self.decision(folder, "empty")
        #expect((empty?["reason"] as? String)?.hasPrefix("waiting for points: 0 of 3") == true, "\(String(describing: empty))")

        // The API, with a raw client on the Unix socket.
        let client = LoopbackHTTPClient(.unix(socketPath))
        let health = try client.request("GET", "/healthz")
        #expect(health.status == 200 && health.object?["runs"] as? Int == 3)
        let runs = try #require(try client.request("GET", "/runs").object?["runs"] as? [[String: Any]])
        #expect(runs.map { $0["id"] as? String } == ["broken", "empty", "good"])
        #expect((runs[0]["error"] as? String)?.contains("'abc' is not a number") == true || (runs[0]["error"] as? String)?.contains("abc") == true)
        let served = try client.request("GET", "/runs/good/decision")
        let onDisk = try Data(contentsOf: folder.path("state/decisions/good.json"))
        #expect(served.status == 200 && served.body == [UInt8](onDisk))
        let forecast = try client.request("GET", "/runs/good/forecast?at=20000,83475&quantiles=0.1,0.5,0.9")
        let forecasts = try #require(forecast.object?["forecasts"] as? [[String: Any]])
        #expect(forecast.status == 200 && forecasts.count == 2)
        let quantiles = try #require(forecasts[1]["quantiles"] as? [String: Double])
        #expect(quantiles.keys.sorted() == ["0.1", "0.5", "0.9"])
        #expect(try #require(quantiles["0.1"]) <= quantiles["0.9"] ?? 0)
        #expect(try client.request("GET", "/runs/broken/forecast").status == 409)
        #expect(try client.request("GET", "/runs/nope/decision").status == 404)
        let garbage = try client.raw(Array("BLAH\r\n\r\n".utf8))
        #expect(String(decoding: garbage, as: UTF8.self).hasPrefix("HTTP/1.1 400 Bad Request"))

        try Self.runTheREADMEPythonClient(socketPath: socketPath)

        // Push mode: a new run from points posted to the API; a log run cannot be pushed to.
        let points = (1...5).map { #"{"step": \#($0 * 100), "value": \#(4.0 / Double($0))}"# }.joined(separator: ",")
        let pushed = try client.request("POST", "/runs/pushed/points", body: Array("[\(points)]".utf8),
                                        headers: ["Content-Type": "application/json"])
        #expect(pushed.status == 200 && pushed.object?["accepted"] as? Int == 5)
        #expect(try client.request("POST", "/runs/good/points", body: Array(#"{"step": 1, "value": 1}"#.utf8)).status == 409)
        try Self.waitFor("pushed's decision") { (Self.decision(folder, "pushed")?["points"] as? Int) == 5 && Self.decision(folder, "pushed")?["forecast"] is [String: Any] }

        // New points in the good run's log are picked up and refitted.
        let more = try Self.curvePrefix(3, from: 12).split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
        try folder.append("runs/good.csv", more)
        try Self.waitFor("the refit of good") { (Self.decision(folder, "good")?["last_step"] as? Double) == 7155 }
        #expect((Self.decision(folder, "good")?["model"] as? [String: Any])?["fit"] as? String == "warm")

        // A clean stop: the socket is gone, every decision is complete JSON, no temporary file.
        daemon.stop()
        #expect(!FileManager.default.fileExists(atPath: socketPath))
        #expect(folder.list("state/decisions") == ["broken.json", "empty.json", "good.json", "pushed.json"])
        #expect(folder.list("state/runs").allSatisfy { !$0.hasPrefix(".tmp-") })

        // A restart serves the previous decisions at once, then refits from the saved state.
        let restarted = WatchDaemon(configuration: configuration, library: Self.library, priors: Self.priors) { _ in }
        try restarted.start()
        let again = LoopbackHTTPClient(.unix(socketPath))
        let before = try again.request("GET", "/runs/good/decision")
        #expect(before.status == 200 && (before.object?["last_step"] as? Double) == 7155)
        try Self.waitFor("the refit after the restart") {
            (Self.decision(folder, "good")?["model"] as? [String: Any])?["fit"] as? String == "warm"
                && (Self.decision(folder, "good")?["generated_at"] as? String) != (before.object?["generated_at"] as? String)
        }
        #expect(try again.request("GET", "/runs").object.flatMap { ($0["runs"] as? [Any])?.count } == 4)
        restarted.stop()
    }

    /// A run that cannot reach the target is stopped by the default one-chain refits: the vote is
    /// checked by the chain's two halves (`DecisionDiagnostics.splittingSingleChain`), not by the
    /// strict all-parameter test that one short chain practically never passes.
    @Test func stopsAHopelessRunWithTheDefaultOneChainBudget() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Gemstones 256x23 is at loss ~3.5 by step 14k and ends at 3.37 at step 83,475: 2.5 is out of reach.
        try folder.write("runs/hopeless.csv", try Self.curvePrefix(30))
        var configuration = Self.configuration(folder)
        configuration.study.target = .value(2.5)
        #expect(configuration.budget.chains == 1 && configuration.study.rule.consecutiveVotes == 2)
        let daemon = WatchDaemon(configuration: configuration, library: Self.library, priors: Self.priors) { _ in }
        try daemon.start()
        defer { daemon.stop() }
        try Self.waitFor("the first vote") { (Self.decision(folder, "hopeless")?["stop_votes"] as? Int) == 1 }
        let first = try #require(Self.decision(folder, "hopeless"))
        #expect(first["decision"] as? String == "continue", "one vote of the two needed: \(first)")
        let diagnostics = try #require(first["diagnostics"] as? [String: Any])
        #expect(diagnostics["decision_pass"] as? Bool == true && diagnostics["chain_votes"] as? [Bool] == [true, true], "\(diagnostics)")
        #expect(try #require(first["probability"] as? Double) < 0.05)

        // One more point, one more refit, the second consecutive vote: stop.
        let more = try Self.curvePrefix(1, from: 30).split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
        try folder.append("runs/hopeless.csv", more)
        try Self.waitFor("the stop") { Self.decision(folder, "hopeless")?["decision"] as? String == "stop" }
        let stopped = try #require(Self.decision(folder, "hopeless"))
        #expect(stopped["stop_votes"] as? Int == 2 && stopped["points"] as? Int == 31, "\(stopped)")
    }
}

@testable import Daemon
import EarlyStopping
import Foundation
import Testing

struct WatchOptionsTests {
    @Test func aConfigFileWithFlagsOverIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("study/watch.json", """
            {"runs": "runs", "state": "/var/tmp/s", "horizon": 80000, "target": 3.1, "threshold": 0.1,
             "direction": "maximize", "metric": "eval_acc", "consecutive_votes": 3, "model": "auto",
             "debounce_seconds": 5, "fit_samples": 200, "fit_hurry_seconds": 6, "listen": "unix:api.sock"}
            """)
        let fromFile = try WatchOptions.load(configFile: file)
        var flags = WatchOptions()
        try flags.set("threshold", .text("0.02"), label: "option '--threshold'")
        try flags.set("target", .text("best"), label: "option '--target'")
        let configuration = try flags.merged(over: fromFile).resolve(currentDirectory: URL(fileURLWithPath: "/work"))
        #expect(configuration.runsDirectory.path == folder.path("study/runs").path)
        #expect(configuration.stateDirectory.path == "/var/tmp/s")
        #expect(configuration.listen == .unix(path: folder.path("study/api.sock").path))
        let study = configuration.study
        #expect(study.horizon == 80_000 && study.target == .bestSoFar && study.rule.threshold == 0.02)
        #expect(study.direction == .maximize && study.metric == "eval_acc" && study.rule.consecutiveVotes == 3)
        #expect(study.model == nil)
        #expect(configuration.debounce == 5 && configuration.budget.samples == 200 && configuration.budget.hurryAfter == 6)
    }

    @Test func defaults() throws {
        var options = WatchOptions()
        try options.set("runs", .text("r"), label: "--runs")
        try options.set("state", .text("s"), label: "--state")
        try options.set("horizon", .text("1e5"), label: "--horizon")
        let configuration = try options.resolve(currentDirectory: URL(fileURLWithPath: "/base"))
        #expect(configuration.listen == .unix(path: "/base/s/api.sock"))
        #expect(configuration.study.model == StudyConfiguration.defaultModel)
        #expect(configuration.study.target == .bestSoFar && configuration.study.rule == PredictiveStoppingRule())
        #expect(configuration.study.horizon == 100_000)
    }

    @Test func errorsNameTheFieldOrFlagAndWhatIsExpected() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        func fileError(_ json: String) -> String {
            do {
                let file = try folder.write("c.json", json)
                _ = try WatchOptions.load(configFile: file)
                return ""
            } catch let error as WatchOptions.ConfigError {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        #expect(fileError(#"{"threshold": 1.5}"#).hasSuffix("c.json: field 'threshold': 1.5 is not a probability strictly between 0 and 1"))
        #expect(fileError(#"{"horizon": "soon"}"#).contains("field 'horizon': 'soon' is not the planned last step"))
        #expect(fileError(#"{"workers": 2.5}"#).contains("field 'workers': 2.5 is not a whole number from 1 to 64"))
        #expect(fileError(#"{"workers": true}"#).contains("field 'workers': true is not"))
        #expect(fileError(#"{"thresold": 0.1}"#).contains("field 'thresold': unknown setting; the settings are runs, state"))
        #expect(fileError(#"{"direction": "up"}"#).contains("'up' is not minimize or maximize"))
        #expect(fileError(#"{"listen": "tcp:0.0.0.0:80"}"#).contains("loopback only"))
        #expect(fileError("[1]").contains("not a JSON object of settings"))
        #expect(fileError("{").contains("not a JSON object of settings"))
        #expect(throws: WatchOptions.ConfigError.self) { try WatchOptions.load(configFile: folder.path("missing.json")) }
        var options = WatchOptions()
        #expect(throws: WatchOptions.ConfigError("option '--minimum-points': '-1' is not a whole number from 0 to 1000000")) {
            try options.set("minimum_points", .text("-1"), label: "option '--minimum-points'")
        }
        do {
            _ = try options.resolve(currentDirectory: URL(fileURLWithPath: "/"))
            Issue.record("resolved without --runs")
        } catch {
            #expect(error.message.contains("--runs DIR"))
        }
    }

    @Test func listenAddresses() throws {
        #expect(try ListenAddress.parse("unix:/tmp/a.sock") == .unix(path: "/tmp/a.sock"))
        #expect(try ListenAddress.parse("tcp:127.0.0.1:8080") == .tcp(port: 8080))
        #expect(try ListenAddress.parse("tcp:localhost:0") == .tcp(port: 0))
        #expect(try ListenAddress.parse("tcp:9000") == .tcp(port: 9000))
        for bad in ["", "unix:", "tcp:", "tcp:70000", "tcp:1.2.3.4:80", "http://x", "unix:/" + String(repeating: "a", count: 120)] {
            #expect(throws: ListenAddress.ParseError.self) { try ListenAddress.parse(bad) }
        }
    }
}

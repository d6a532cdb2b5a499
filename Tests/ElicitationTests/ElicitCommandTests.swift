import CurveModels
import Foundation
import TestSupport
import XCTest
@testable import CommandLineTool

/// `curvecast elicit` end to end: through an in-memory pipe, an answers file, a pseudo-terminal,
/// and a forecast with the elicited prior.
final class ElicitCommandTests: XCTestCase {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("curvecast-elicit-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs in-process from `directory` with models from the repository and `input` as stdin.
    func run(_ arguments: [String], in directory: URL, input: [String] = []) -> Outcome {
        let out = TextOutput(), err = TextOutput()
        let context = CommandLineTool.Context(
            environment: ["CURVECAST_HOME": RepositoryPaths.root.path], currentDirectory: directory, executable: nil)
        let status = CommandLineTool.run(arguments: arguments, stdout: out, stderr: err, context: context,
                                         stdin: LineSource(lines: input))
        return Outcome(status: status, stdout: out.text, stderr: err.text)
    }

    func write(_ text: String, to url: URL) { try! Data(text.utf8).write(to: url) }

    /// 2 + 5 step^-0.5 at steps 10, 20, ..., 400 (the CommandLineToolTests fixture's shape).
    func curveCSV() -> String {
        var lines = ["step,loss"]
        for i in 1...40 {
            let step = Double(10 * i)
            lines.append("\(Int(step)),\((2 + 5 * pow(step, -0.5)) * exp(0.002 * sin(Double(i) * 1.7)))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Answers typed through a pipe (after one malformed line, which is asked again), then accepted.
    func testPipedAnswersWriteAPrior() throws {
        let dir = temporaryDirectory()
        let result = run(["elicit", "--model", "power_law", "--out", "mine.json"], in: dir, input: [
            "20000", "3.0",
            "1.8 2.4",  // malformed: asked again
            "0.05=1.8 0.95=2.4", "skip", "10x", "0.05=2.3 0.95=2.6", "a",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("is not PROBABILITY=VALUE"), result.stdout)
        XCTAssertTrue(result.stdout.contains("quantity"))
        XCTAssertTrue(result.stdout.contains("prior predictive of the loss"))
        XCTAssertTrue(result.stdout.contains("100x"))
        XCTAssertTrue(result.stdout.contains("accept, revise or quit?"))
        let prior = try PriorSetReader.read(dir.appendingPathComponent("mine.json"))
        XCTAssertEqual(prior.parameters["E"]!.quantile(0.05) * 3.0, 1.8, accuracy: 1e-6)
    }

    /// 'r' asks again, 'q' leaves without writing; input ending early is an error.
    func testReviseQuitAndEndOfInput() {
        let dir = temporaryDirectory()
        let quit = run(["elicit", "--model", "power_law"], in: dir, input: [
            "1000", "3", "skip", "skip", "skip", "r", "0.1=1 0.9=2", "skip", "skip", "q",
        ])
        XCTAssertEqual(quit.status, 0, quit.stderr)
        XCTAssertTrue(quit.stdout.contains("nothing written"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("power_law-elicited.json").path))
        let ended = run(["elicit", "--model", "power_law"], in: dir, input: ["1000"])
        XCTAssertEqual(ended.status, 2)
        XCTAssertTrue(ended.stderr.contains("curvecast: error: input ended"), ended.stderr)
    }

    /// --answers runs without prompts; an existing file needs --force; bad answers get clear messages.
    func testAnswersFileForceAndValidation() {
        let dir = temporaryDirectory()
        write(#"{"current": {"step": 10000, "loss": 3.1}, "floor": {"0.05": 1.8, "0.5": 2.0, "0.95": 2.3}, "exponent": "skip", "future": {"at": "10x", "quantiles": {"0.05": 2.3, "0.95": 2.6}}}"#,
              to: dir.appendingPathComponent("a.json"))
        let first = run(["elicit", "--model", "power_law", "--answers", "a.json", "--out", "p.json"], in: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertFalse(first.stdout.contains("accept, revise"))
        XCTAssertFalse(first.stdout.contains("note:"), first.stdout)
        let again = run(["elicit", "--model", "power_law", "--answers", "a.json", "--out", "p.json"], in: dir)
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("p.json exists; pass --force"), again.stderr)
        XCTAssertEqual(run(["elicit", "--model", "power_law", "--answers", "a.json", "--out", "p.json", "--force"], in: dir).status, 0)

        let cases: [(String, String)] = [
            (#"{"current": {"step": 10, "loss": 3}, "floor": {"0.05": 2.3, "0.95": 1.8}}"#, "must increase with the probability"),
            (#"{"current": {"step": 10, "loss": 3}, "exponent": {"0.05": -0.1, "0.95": 1}}"#, "outside the possible values"),
            (#"{"floor": {"0.05": 1.8, "0.95": 2.3}}"#, "need \"current\""),
            (#"{"current": {"step": 10, "loss": 3}, "future": {"at": "soon", "quantiles": {"0.05": 2, "0.95": 3}}}"#, "'soon' is not a step"),
        ]
        for (json, expected) in cases {
            write(json, to: dir.appendingPathComponent("bad.json"))
            let result = run(["elicit", "--model", "power_law", "--answers", "bad.json", "--out", "x.json"], in: dir)
            XCTAssertEqual(result.status, 2, json)
            XCTAssertTrue(result.stderr.hasPrefix("curvecast: error: --answers"), result.stderr)
            XCTAssertTrue(result.stderr.contains(expected), "\(json): \(result.stderr)")
        }
        let missing = run(["elicit"], in: dir)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("missing --model NAME"))
    }

    /// Elicit against a curve (refs from its last points), then forecast with the saved prior.
    func testForecastWithTheElicitedPrior() throws {
        let dir = temporaryDirectory()
        write(curveCSV(), to: dir.appendingPathComponent("run.csv"))
        write(#"{"floor": {"0.05": 1.7, "0.5": 2.0, "0.95": 2.3}, "future": {"at": 4000, "quantiles": {"0.05": 2.0, "0.95": 2.3}}}"#,
              to: dir.appendingPathComponent("a.json"))
        let elicit = run(["elicit", "--model", "power_law", "--curve", "run.csv", "--answers", "a.json", "--out", "p.json"], in: dir)
        XCTAssertEqual(elicit.status, 0, elicit.stderr)
        XCTAssertTrue(elicit.stdout.contains("step_ref 400"), elicit.stdout)
        let forecast = run(["forecast", "run.csv", "--model", "power_law", "--prior", "p.json", "--format", "json",
                            "--chains", "2", "--warmup", "150", "--samples", "100", "--quiet"], in: dir)
        XCTAssertEqual(forecast.status, 0, forecast.stderr)
        XCTAssertTrue(forecast.stdout.contains("\"quantiles\""), String(forecast.stdout.prefix(400)))
    }

    /// The built executable on a pseudo-terminal (Python's pty module drives it).
    func testPseudoTerminal() throws {
        let executable = RepositoryPaths.root.appendingPathComponent(".build/debug/curvecast")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw XCTSkip("\(executable.path) is not built; run 'swift build' first")
        }
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("python3 is needed to drive a pseudo-terminal")
        }
        let dir = temporaryDirectory()
        let driver = """
        import os, pty, sys, time
        exe, out = sys.argv[1], sys.argv[2]
        lines = ["1000", "3", "0.05=1.8 0.95=2.4", "skip", "skip", "a"]
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(exe, [exe, "elicit", "--model", "power_law", "--out", out])
        buf = b""
        for line in lines:
            time.sleep(0.2)
            os.write(fd, (line + "\\n").encode())
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(buf.decode(errors="replace"))
        sys.exit(os.WEXITSTATUS(status))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", driver, executable.path, dir.appendingPathComponent("tty.json").path]
        process.environment = ["CURVECAST_HOME": RepositoryPaths.root.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("loss floor (E)"), text)
        XCTAssertTrue(text.contains("wrote "), text)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tty.json").path))
    }
}

/// Reads a saved prior (a thin wrapper so the tests read like the user's steps).
enum PriorSetReader {
    static func read(_ url: URL) throws -> PriorSet { try PriorSet.load(contentsOf: url) }
}

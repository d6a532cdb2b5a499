import Foundation
import TestSupport
@testable import CommandLineTool

/// What a run of the command line printed and returned.
struct RunOutcome {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the command line in-process with in-memory outputs, from `directory` (default: the
/// repository root, so the top-level Models/ and Priors/ are used) and an empty environment.
func runCLI(_ arguments: [String], in directory: URL = RepositoryPaths.root, environment: [String: String] = [:]) -> RunOutcome {
    let out = TextOutput(), err = TextOutput()
    let context = CommandLineTool.Context(environment: environment, currentDirectory: directory, executable: nil)
    let status = CommandLineTool.run(arguments: arguments, stdout: out, stderr: err, context: context)
    return RunOutcome(status: status, stdout: out.text, stderr: err.text)
}

/// Sampler settings that keep a fit well under a second in debug builds.
let tinySettings = ["--chains", "2", "--warmup", "150", "--samples", "100", "--quiet"]

/// A fresh temporary directory.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("curvecast-cli-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` to `name` in a new temporary directory; returns the file's URL.
func writeFixture(_ name: String, _ text: String) -> URL {
    let url = temporaryDirectory().appendingPathComponent(name)
    try! Data(text.utf8).write(to: url)
    return url
}

/// A power-law loss curve 2 + 5 step^-0.5 with small deterministic multiplicative wiggles, as CSV
/// (columns step, loss) with steps 10, 20, ..., 10 * count.
func powerLawCSV(count: Int = 40) -> String {
    var lines = ["step,loss"]
    for i in 1...count {
        let step = Double(10 * i)
        let loss = (2 + 5 * pow(step, -0.5)) * exp(0.002 * sin(Double(i) * 1.7))
        lines.append("\(Int(step)),\(loss)")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// Parses JSON text into Foundation objects.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

import Foundation
import Testing
import TestSupport
@testable import CommandLineTool

/// Schedules on the command line: joint fits with `--manifest`, forecasts of another run with
/// `--train`, sidecar and inline schedules, and the messages for bad schedule input. Real mpl
/// curves (Luo et al. 2025's data); the two-stage ones have one change point after warmup, which
/// keeps the debug-build fits fast.
@Suite("Schedules on the command line")
struct ScheduleCommandTests {
    static let manifest = RepositoryPaths.sharedFile("MANIFEST.json").path
    static func mpl(_ name: String) -> String { RepositoryPaths.sharedFile("curves/mpl/25M/\(name).csv").path }

    /// The first `rows` data rows of an mpl curve, as CSV with only step and loss (no lr column),
    /// in a new temporary directory as NAME.csv.
    static func bareCopy(_ name: String, rows: Int = 60) throws -> URL {
        let text = try String(contentsOfFile: mpl(name), encoding: .utf8)
        let lines = text.split(separator: "\n").prefix(rows + 1).map { line in
            let f = line.split(separator: ",")
            return "\(f[0]),\(f[2])"
        }
        return writeFixture("\(name).csv", lines.joined(separator: "\n") + "\n")
    }

    static let wsdcon9 = #"{"kind": "two_stage", "warmup": 2160, "total": 16000, "peak": 0.0003, "second": 9e-05, "switch": 8000}"#

    @Test func jointFitWithTheManifest() throws {
        let outcome = runCLI(["fit", Self.mpl("wsdcon_3"), Self.mpl("wsdcon_18"), "--manifest", Self.manifest,
                              "--format", "json", "--seed", "2"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        #expect(object["model"] as? String == "auto")
        let components = try #require(object["components"] as? [[String: Any]])
        #expect(components.first?["model"] as? String == "multi_power")
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.count == 2 && runs.allSatisfy { $0["points"] as? Int == 95 })
        #expect(runs.allSatisfy { ($0["schedule"] as? String)?.hasPrefix("manifest ") == true })
        #expect((runs[0]["schedule"] as? String)?.contains("mpl/25M/wsdcon_3") == true)
        #expect(object["points"] as? Int == 190 && object["fit_until"] as? Double == 14144)
        let parameters = try #require(object["parameters"] as? [String: [String: Any]])
        // multi_power's default noise is Student t (Priors/multi_power.json).
        #expect(Set(parameters.keys) == ["L0", "A", "alpha", "b", "C", "beta", "gamma", "sigma", "nu"])
        // No warning about the declared schedule: it matches the logged lr column.
        #expect(!outcome.stderr.contains("warning"), "\(outcome.stderr)")
        let table = runCLI(["fit", Self.mpl("wsdcon_3"), Self.mpl("wsdcon_18"), "--manifest", Self.manifest, "--seed", "2"] + tinySettings)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.hasPrefix("2 runs fitted jointly (shared parameters, normalized at step 14144)"), "\(table.stdout)")
        #expect(table.stdout.contains("wsdcon_18.csv: 95 points up to step 14144, schedule from manifest"))
    }

    /// The target is forecast from two other runs under its own schedule, next to its observed
    /// values (not fitted); the forecasts follow the drop at step 8000.
    @Test func forecastAnotherRunFromTrainingRuns() throws {
        let outcome = runCLI(["forecast", Self.mpl("wsdcon_9"), "--train", Self.mpl("wsdcon_3"), "--train", Self.mpl("wsdcon_18"),
                              "--manifest", Self.manifest, "--format", "json", "--seed", "3"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        #expect((object["runs"] as? [[String: Any]])?.count == 2)
        #expect(object["schedule"] as? String == "manifest \(Self.manifest) (mpl/25M/wsdcon_9)")
        let forecasts = try #require(object["forecasts"] as? [[String: Any]])
        #expect(forecasts.count == ForecastCommand.targetGridPoints + 1)  // the logged steps, then the planned end
        var errors: [Double] = []
        for f in forecasts {
            let q = try #require(f["quantiles"] as? [String: Double])
            guard let observed = f["observed"] as? Double else { continue }
            errors.append(abs(q["0.5"]! / observed - 1))
        }
        #expect(errors.count == ForecastCommand.targetGridPoints)
        // Two runs of the same model under other two-stage schedules predict it within 2%.
        #expect(errors.max()! < 0.02, "\(errors)")
    }

    /// A sidecar NAME.schedule.json gives a log without an lr column its schedule; --schedule
    /// (inline or a file) overrides it; a different future plan changes the forecast.
    @Test func sidecarAndInlineSchedules() throws {
        let curve = try Self.bareCopy("wsdcon_9", rows: 60)  // up to step 9664, past the switch
        let bare = runCLI(["fit", curve.path, "--model", "multi_power"] + tinySettings)
        #expect(bare.status == 2 && bare.stderr.contains("needs the run's learning-rate schedule") && bare.stderr.contains("wsdcon_9.schedule.json"),
                "\(bare.stderr)")
        try Data(Self.wsdcon9.utf8).write(to: curve.deletingLastPathComponent().appendingPathComponent("wsdcon_9.schedule.json"))
        let fitted = runCLI(["fit", curve.path, "--format", "json"] + tinySettings)
        #expect(fitted.status == 0, "\(fitted.stderr)")
        let object = try #require(try parseJSON(fitted.stdout) as? [String: Any])
        #expect(object["schedule"] as? String == "sidecar wsdcon_9.schedule.json")
        #expect((object["components"] as? [[String: Any]])?.first?["model"] as? String == "multi_power")

        // What if the second stage were at 3e-5 instead of 9e-5 from step 12000 on?
        func median(_ schedule: String) throws -> Double {
            let run = runCLI(["forecast", curve.path, "--schedule", schedule, "--at", "16000", "--format", "json"] + tinySettings)
            #expect(run.status == 0, "\(run.stderr)")
            let object = try #require(try parseJSON(run.stdout) as? [String: Any])
            #expect(object["schedule"] as? String == "--schedule")
            let forecast = try #require((object["forecasts"] as? [[String: Any]])?.first)
            return try #require((forecast["quantiles"] as? [String: Double])?["0.5"])
        }
        let planned = try median(Self.wsdcon9)
        let file = curve.deletingLastPathComponent().appendingPathComponent("plan.json")
        try Data(#"{"kind": "explicit", "peak": 0.0003, "warmup": 2160, "rates": \#(Self.explicitRates())}"#.utf8).write(to: file)
        let cooled = try median(file.path)
        #expect(cooled < planned, "a lower second stage should forecast a lower loss: \(cooled) vs \(planned)")
    }

    /// The wsdcon_9 schedule until step 12000, then 3e-5, one rate per step from step 1.
    static func explicitRates() -> String {
        func rate(_ s: Int) -> Double {
            if s <= 2160 { return 3e-4 * Double(s) / 2160 }
            if s < 8000 { return 3e-4 }
            return s < 12000 ? 9e-5 : 3e-5
        }
        let rates: [String] = (1...16000).map { "\(rate($0))" }
        return "[" + rates.joined(separator: ",") + "]"
    }

    static let badInput: [(arguments: [String], message: String)] = [
        (["--schedule", #"{"kind": "cosine", "total": 24000, "peak": 3e-4}"#],
         #"--schedule (inline JSON): schedule of kind "cosine": missing field "end""#),
        (["--schedule", #"{"kind": "cosine", "total": 24000, "peak": 3e-4, "end": 0, "decay_start": 5}"#],
         #"unknown field "decay_start""#),
        (["--schedule", #"{"kind": "wsd", "total": 24000, "peak": 3e-4, "end": 0, "decay_start": 30000, "decay_shape": "linear"}"#],
         #"schedule field "decay_start": 30000 must lie in [warmup, total)"#),
        (["--schedule", "no/such/schedule.json"], "--schedule no/such/schedule.json: no such file"),
        (["--schedule", #"{"kind": "cosine", "total": 24000,"#], "--schedule (inline JSON): schedule: not a JSON object"),
        (["--manifest", "no/such/MANIFEST.json"], "--manifest: "),
        (["--lr", "learning_rate"], "'learning_rate' (--lr) has no learning rates"),
    ]

    @Test(arguments: badInput.indices)
    func badScheduleInputNamesTheProblem(_ i: Int) {
        let (arguments, message) = Self.badInput[i]
        let outcome = runCLI(["fit", Self.mpl("wsdcon_9")] + arguments + tinySettings)
        #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
        #expect(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
    }

    @Test func badSidecarAndManifestEntriesNameTheFile() throws {
        let curve = try Self.bareCopy("wsdcon_3", rows: 20)
        let folder = curve.deletingLastPathComponent()
        try Data(#"{"kind": "two_stage", "warmup": 2160, "total": 16000, "peak": 3e-4, "switch": 8000}"#.utf8)
            .write(to: folder.appendingPathComponent("wsdcon_3.schedule.json"))
        let sidecar = runCLI(["fit", curve.path] + tinySettings)
        #expect(sidecar.status == 2 && sidecar.stderr.contains(#"wsdcon_3.schedule.json: schedule of kind "two_stage": missing field "second""#),
                "\(sidecar.stderr)")
        // A manifest that does not list the curve; one whose entry has a bad schedule.
        let unlisted = runCLI(["fit", curve.path, "--manifest", Self.manifest] + tinySettings)
        #expect(unlisted.status == 2 && unlisted.stderr.contains("not listed in the manifest"), "\(unlisted.stderr)")
        let manifest = folder.appendingPathComponent("MANIFEST.json")
        try Data(#"{"curves": [{"id": "mine", "file": "wsdcon_3.csv", "schedule": {"kind": "cosine", "total": 100, "peak": 1, "end": "low"}}]}"#.utf8)
            .write(to: manifest)
        let bad = runCLI(["fit", curve.path, "--manifest", manifest.path] + tinySettings)
        #expect(bad.status == 2 && bad.stderr.contains(#"curves[0] (mine): schedule field "end": wrong type"#), "\(bad.stderr)")
        // Another entry's bad schedule does not block this curve's.
        try Data(#"{"curves": [{"id": "other", "file": "other.csv", "schedule": {"kind": "cosine", "end": "low"}}, {"id": "mine", "file": "wsdcon_3.csv", "schedule": {"kind": "constant", "total": 1000000, "peak": 1}}]}"#.utf8)
            .write(to: manifest)
        let good = runCLI(["fit", curve.path, "--manifest", manifest.path, "--model", "power_law"] + tinySettings)
        #expect(good.status == 0, "\(good.stderr)")
        // --schedule is one curve's.
        let two = runCLI(["fit", curve.path, Self.mpl("wsdcon_9"), "--schedule", Self.wsdcon9] + tinySettings)
        #expect(two.status == 2 && two.stderr.contains("--schedule declares one curve's schedule"), "\(two.stderr)")
    }

    /// A declared schedule that disagrees with the logged lr column is used, with a warning
    /// naming the step.
    @Test func disagreeingDeclaredScheduleIsWarnedAbout() {
        let other = #"{"kind": "two_stage", "warmup": 2160, "total": 16000, "peak": 0.0003, "second": 3e-05, "switch": 8000}"#
        let outcome = runCLI(["fit", Self.mpl("wsdcon_9"), "--schedule", other, "--fit-until", "9000", "--format", "json"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("wsdcon_9.csv:48: the schedule from --schedule gives the learning rate 3e-05 at step 8000"),
                "\(outcome.stderr)")
    }
}

import Foundation
import TestSupport
import Testing
@testable import CommandLineTool

/// `curvecast decide` on a real Gemstones curve (half the peak LR, 256x23, final loss 3.40 at step
/// 23,840), and `curvecast replay` on a tiny corpus.
struct DecideCommandTests {
    static let halfLR = RepositoryPaths.sharedFile("curves/gemstones/half-lr")
    static let run = halfLR.appendingPathComponent("256x23.csv").path
    /// The first 20 points (to step 9540), forecast to the runs' common last step.
    static let decide = ["decide", run, "--fit-until", "9540", "--horizon", "23840", "--model", "power_law"] + tinySettings

    @Test func aRunFarBehindTheTargetStopsWithStatus1() throws {
        // 2.6 is about the best half-lr run's final loss; 256x23 is at 3.47 by step 9540.
        let outcome = runCLI(Self.decide + ["--target", "2.6", "--format", "json"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("error"))
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        #expect(object["decision"] as? String == "stop")
        #expect(try #require(object["probability"] as? Double) < 0.05)
        #expect(object["target"] as? Double == 2.6 && object["horizon"] as? Double == 23840)
        #expect((object["target_source"] as? [String: Any])?["kind"] as? String == "value")
        #expect(object["threshold"] as? Double == 0.05 && object["stop_votes"] as? Int == 1)
        let forecast = try #require(object["forecast"] as? [String: Any])
        let q = try #require(forecast["quantiles"] as? [String: Double])
        #expect(Set(q.keys) == ["0.025", "0.1", "0.25", "0.5", "0.75", "0.9", "0.975"])
        #expect(q["0.025"]! <= q["0.5"]! && q["0.5"]! <= q["0.975"]!)
        // Near the last fitted value (3.47), far above the target.
        let mean = try #require(forecast["mean"] as? Double)
        #expect(mean > 3.2 && mean < 3.5)
        #expect((object["reason"] as? String)?.contains("< threshold 0.05") == true)
        #expect(object["model"] as? String == "power_law" && object["fit_until"] as? Double == 9540 && object["points"] as? Int == 20)
        let decision = try #require(object["decision_diagnostics"] as? [String: Any])
        #expect(decision["pass"] as? Bool == true && (decision["chain_votes"] as? [String]) == ["stop", "stop"])
        #expect(object["diagnostics"] is [String: Any])
    }

    @Test func aLoneChainIsCheckedByItsTwoHalves() throws {
        // --chains 1: the vote is still checked between chains, the two halves of the one chain
        // (100 draws each), as the daemon checks its one-chain refits.
        let arguments = ["decide", Self.run, "--fit-until", "9540", "--horizon", "23840", "--model", "power_law",
                         "--chains", "1", "--warmup", "150", "--samples", "200", "--quiet"]
        let outcome = runCLI(arguments + ["--target", "2.6", "--format", "json"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        let decision = try #require(object["decision_diagnostics"] as? [String: Any])
        #expect((decision["chain_votes"] as? [String]) == ["stop", "stop"], "\(decision)")
    }

    @Test func aRunThatCanStillBeatTheTargetContinuesWithStatus0() {
        let outcome = runCLI(Self.decide + ["--target", "4"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("decision: continue\n"))
        #expect(outcome.stdout.contains("target 4 (--target)"))
        #expect(outcome.stdout.contains("forecast at step 23840: mean "))
        #expect(outcome.stdout.contains("reason: P(final beats 4.0) = "))
    }

    @Test func theTargetIsTheBestFinalValueOfTheBestOfFiles() throws {
        let best = Self.halfLR.appendingPathComponent("1536x50.csv").path
        let other = Self.halfLR.appendingPathComponent("768x3.csv").path
        let outcome = runCLI(Self.decide + ["--best-of", other, best, "--format", "json"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        // 1536x50 ends at 2.6069984436 at step 23840 (768x3 at 3.344).
        #expect(object["target"] as? Double == 2.6069984436)
        let source = try #require(object["target_source"] as? [String: Any])
        #expect(source["kind"] as? String == "best_of" && source["file"] as? String == best && source["step"] as? Double == 23840)
    }

    @Test func minimumPointsAndVotesHoldTheStopBack() throws {
        let early = runCLI(Self.decide + ["--target", "2.6", "--min-points", "21", "--format", "json"])
        #expect(early.status == 0, "\(early.stderr)")
        #expect(((try parseJSON(early.stdout) as? [String: Any])?["reason"] as? String)?.contains("too early: 20 point(s)") == true)
        let patient = runCLI(Self.decide + ["--target", "2.6", "--votes", "2", "--format", "json"])
        #expect(patient.status == 0)
        #expect((try parseJSON(patient.stdout) as? [String: Any])?["stop_votes"] as? Int == 1)
        #expect(runCLI(Self.decide + ["--target", "2.6", "--votes", "2", "--previous-votes", "1"]).status == 1)
    }

    @Test func theExpectedImprovementVariant() throws {
        // Against 4, EI is about 4 - E[final] ~ 0.6 over 14,300 remaining steps: ~4e-5 per step,
        // below an exchange rate of 1e-3 per step, above 1e-6.
        let outcome = runCLI(Self.decide + ["--target", "4", "--min-gain-per-step", "1e-3", "--format", "json"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        #expect(object["min_gain_per_step"] as? Double == 1e-3 && object["threshold"] == nil)
        let ei = try #require(object["expected_improvement"] as? Double)
        #expect(ei > 0.4 && ei < 0.8)
        #expect((object["reason"] as? String)?.contains("per step < 0.001") == true)
        #expect(runCLI(Self.decide + ["--target", "4", "--min-gain-per-step", "1e-6"]).status == 0)
    }

    @Test func errorsExitWith2AndSayWhatToDo() {
        let noHorizon = runCLI(["decide", Self.run, "--target", "3"])
        #expect(noHorizon.status == 2 && noHorizon.stderr.contains("missing --horizon STEP"))
        let noTarget = runCLI(["decide", Self.run, "--horizon", "30000"])
        #expect(noTarget.status == 2 && noTarget.stderr.contains("--target VALUE or --best-of FILE"))
        let both = runCLI(["decide", Self.run, "--horizon", "30000", "--target", "3", "--best-of", Self.run])
        #expect(both.status == 2 && both.stderr.contains("not both"))
        let past = runCLI(["decide", Self.run, "--horizon", "20000", "--target", "3"] + tinySettings)
        #expect(past.status == 2 && past.stderr.contains("is not after the last fitted step 23840"))
        let missing = runCLI(["decide", Self.run, "--horizon", "30000", "--best-of", "nope.csv"] + tinySettings)
        #expect(missing.status == 2 && missing.stderr.contains("nope.csv: no such file"))
        let empty = runCLI(["decide", Self.run, "--horizon", "30000", "--best-of", "--target", "3"])
        #expect(empty.status == 2 && empty.stderr.contains("'--best-of' needs at least one FILE"))
        let threshold = runCLI(["decide", Self.run, "--horizon", "30000", "--target", "3", "--threshold", "1.5"])
        #expect(threshold.status == 2 && threshold.stderr.contains("--threshold"))
        let exclusive = runCLI(["decide", Self.run, "--horizon", "30000", "--target", "3", "--threshold", "0.1", "--min-gain-per-step", "1e-6"])
        #expect(exclusive.status == 2)
    }

    @Test func bestOfTakesTheFilesUpToTheNextOption() throws {
        let split = try DecideCommand.splitBestOf(["a.csv", "--best-of", "b.csv", "c.csv", "--horizon", "5"])
        #expect(split.rest == ["a.csv", "--horizon", "5"] && split.files == ["b.csv", "c.csv"])
        let inline = try DecideCommand.splitBestOf(["a.csv", "--best-of=b.csv,c.csv"])
        #expect(inline.rest == ["a.csv"] && inline.files == ["b.csv", "c.csv"])
        #expect(try DecideCommand.splitBestOf(["a.csv"]).files == nil)
        #expect(throws: CommandLineTool.Failure.self) { try DecideCommand.splitBestOf(["--best-of", "a", "--best-of", "b"]) }
    }

    @Test func helpIsShown() {
        let help = runCLI(["decide", "--help"])
        #expect(help.status == 0 && help.stdout.contains("usage: curvecast decide FILE --horizon STEP"))
        #expect(runCLI(["help", "decide"]).stdout == help.stdout)
        #expect(runCLI(["--help"]).stdout.contains("decide FILE"))
    }
}

struct ReplayCommandTests {
    /// Three power-law runs (steps 10 ... 300) with floors 1, 2 and 3, in one folder.
    static func corpus() -> URL {
        let dir = temporaryDirectory()
        var entries: [String] = []
        for (k, floor) in [2.0, 1.0, 3.0].enumerated() {
            var lines = ["step,loss"]
            for i in 1...30 {
                let step = Double(10 * i)
                lines.append("\(Int(step)),\((floor + 5 * pow(step, -0.5)) * exp(0.002 * sin(Double(i * (k + 1)))))")
            }
            try! Data(lines.joined(separator: "\n").utf8).write(to: dir.appendingPathComponent("r\(k).csv"))
            entries.append(#"{"id": "toy/runs/r\#(k)", "file": "r\#(k).csv", "direction": "minimize", "schedule": {"kind": "constant", "total": 300, "peak": 0.001}}"#)
        }
        try! Data("{\"curves\": [\(entries.joined(separator: ","))]}".utf8).write(to: dir.appendingPathComponent("MANIFEST.json"))
        return dir
    }

    static let small = ["--model", "power_law", "--chains", "2", "--warmup", "150", "--samples", "100", "--no-calibrate",
                        "--orders", "4", "--quiet"]
    /// Checkpoints at the 5th, 10th and 20th points (steps 50, 100, 200) of each run.
    static let grid = ["--min-points", "5", "--growth", "2"]

    @Test func replaysEveryRuleOnThePopulationAsJSON() throws {
        let dir = Self.corpus()
        let cache = temporaryDirectory()
        let outcome = runCLI(["replay", "--corpus", dir.path, "--format", "json", "--cache", cache.path] + Self.small + Self.grid)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        let populations = try #require(object["populations"] as? [[String: Any]])
        #expect(populations.count == 1)
        let p = populations[0]
        #expect(p["name"] as? String == "toy/runs" && p["horizon"] as? Double == 300)
        #expect(p["best_run"] as? String == "toy/runs/r1")
        // 9 checkpoint fits, and a confirmation fit after each stop vote.
        let fits = try #require(p["fits"] as? Int)
        #expect(fits >= 9)
        let rules = try #require(p["rules"] as? [[String: Any]])
        #expect(rules.map { $0["rule"] as? String } == ["predictive p < 0.01", "predictive p < 0.05", "predictive p < 0.1",
                                                        "median rule", "successive halving (eta 3)"])
        for r in rules {
            let compute = try #require(r["compute_mean"] as? Double)
            #expect(compute > 0 && compute <= 1)
            #expect((r["regret_mean"] as? Double ?? -1) >= 0)
        }
        // The record floor of 3 runs in 4 orders: a mean of 1, 2 or 3 records out of 3 per order.
        let floor = try #require(p["record_floor"] as? Double), floorMax = try #require(p["record_floor_max"] as? Double)
        #expect(floor >= 1.0 / 3 && floor <= floorMax && floorMax <= 1)
        #expect(abs(floor * 12 - (floor * 12).rounded()) < 1e-9)
        let targets = try #require(p["targets"] as? [String: Any])
        #expect(targets["met"] is Bool)
        #expect((targets["comparisons"] as? [String: String])?.count == 2)
        // One cache file per run.
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 3)

        // Again with the cache: no fitting, the same predictive rows, other thresholds in seconds.
        let again = runCLI(["replay", "--corpus", dir.path, "--format", "json", "--cache", cache.path] + Self.small.dropLast()
                           + Self.grid + ["--thresholds", "0.2"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("\(fits) fits read from"))
        let rows = try #require(((try parseJSON(again.stdout) as? [String: Any])?["populations"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]])
        #expect(rows.first?["rule"] as? String == "predictive p < 0.2")
    }

    @Test func theTableHasTheBaselineRowAndTheTargets() {
        // One checkpoint per run (the 10th point; 3x later is the last point).
        let outcome = runCLI(["replay", "--corpus", Self.corpus().path] + Self.small + ["--min-points", "10", "--growth", "3"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("train everything                   1.000"))
        #expect(outcome.stdout.contains("\nrecord floor "))
        #expect(outcome.stdout.contains("targets: "))
        #expect(outcome.stdout.contains("random arrival orders per population"))
    }

    @Test func eachRunIsForecastUnderItsManifestSchedule() throws {
        let manifest = RepositoryPaths.sharedFile("MANIFEST.json")
        let ids = ["mpl/25M/wsd_20000_24000", "mpl/25M/constant_24000", "gemstones/half-lr/256x23", "not/listed"]
        let schedules = try ReplayCommand.schedules(manifest: manifest, ids: ids)
        #expect(schedules["mpl/25M/wsd_20000_24000"]?.annealsAfterWarmup == true)
        #expect(schedules["mpl/25M/wsd_20000_24000"]?.total == 24_000)
        #expect(schedules["mpl/25M/constant_24000"]?.annealsAfterWarmup == false)
        #expect(schedules["gemstones/half-lr/256x23"]?.annealsAfterWarmup == false)
        #expect(schedules["not/listed"] == nil)
        // A schedule that cannot be built stops the replay, naming the entry and the field.
        let dir = Self.corpus()
        let url = dir.appendingPathComponent("MANIFEST.json")
        var text = try String(contentsOf: url, encoding: .utf8)
        text.replaceSubrange(try #require(text.range(of: #""total": 300, "#)), with: "")   // the first entry's only
        try Data(text.utf8).write(to: url)
        let bad = runCLI(["replay", "--corpus", dir.path] + Self.small + Self.grid)
        #expect(bad.status == 2 && bad.stderr.contains("curves[0]") && bad.stderr.contains("\"total\""), "\(bad.stderr)")
        // An entry left out by --include does not stop the replay of the others.
        let others = runCLI(["replay", "--corpus", dir.path, "--include", "r1,r2", "--min-runs", "2"] + Self.small + Self.grid)
        #expect(others.status == 0 && others.stdout.contains("train everything"), "\(others.stderr)")
    }

    @Test func errorsNameWhatIsWrong() {
        let missing = runCLI(["replay"])
        #expect(missing.status == 2 && missing.stderr.contains("--corpus"))
        let key = runCLI(["replay", "--corpus", Self.corpus().path, "--group-by", "size"] + Self.small + Self.grid)
        #expect(key.status == 2 && key.stderr.contains("no curve has a field 'size'"))
        let small = runCLI(["replay", "--corpus", Self.corpus().path, "--group-by", "id"] + Self.small + Self.grid)
        #expect(small.status == 2 && small.stderr.contains("--min-runs"))
        let eta = runCLI(["replay", "--corpus", "x", "--eta", "1"])
        #expect(eta.status == 2 && eta.stderr.contains("--eta"))
    }
}

import CurveModels
import Forecasting
import Foundation
import RunLogs

/// Finds a curve's learning-rate schedule, in this order:
/// 1. `--schedule FILE|JSON` (a JSON object inline, or a file holding one; one curve only);
/// 2. the curve's entry in `--manifest FILE` (matched by the entry's "file", relative to the
///    manifest, against the curve's path);
/// 3. a sidecar `NAME.schedule.json` next to `NAME.csv`;
/// 4. the log's learning-rate column (linear between logged steps, the first value held back to
///    step 0, the last held after the last logged step).
/// A declared schedule (1-3) that disagrees with a logged learning rate by more than
/// `disagreement` (relative) at a logged step (up to --fit-until) is still used, with a warning
/// naming the first such step: the declared schedule is the plan, and it covers steps the log does
/// not (warmup, future).
enum ScheduleLoader {
    typealias Failure = CommandLineTool.Failure

    /// A curve's schedule and where it came from (for messages and the JSON output).
    struct Found {
        var schedule: LearningRateSchedule
        /// "--schedule", "manifest FILE", "sidecar FILE" or "lr column".
        var source: String
    }

    /// The relative difference between a declared and a logged rate that earns a warning (logs
    /// round rates to a few digits).
    static let disagreement = 0.01

    /// The sidecar schedule file of a curve file: NAME.schedule.json next to NAME.csv.
    static func sidecar(of url: URL) -> URL {
        url.deletingPathExtension().appendingPathExtension("schedule.json")
    }

    /// The schedule of the curve at `url`, if any.
    static func find(url: URL, shown: String, options: CurveOptions, log: RunLog, context: CommandLineTool.Context,
                     warn: (String) -> Void) throws(Failure) -> Found? {
        var declared: (spec: ScheduleSpecification, source: String)?
        if let value = options.schedule {
            declared = try option(value, context: context).map { ($0, "--schedule") }
        } else if let manifestPath = options.manifest {
            let manifest = try self.manifest(manifestPath, context: context)
            guard let entry = manifest.entry(for: url) else {
                throw Failure("\(shown): not listed in the manifest \(manifestPath) (its \"file\" fields are relative to \(manifest.url.deletingLastPathComponent().path)); add an entry or drop --manifest")
            }
            do {
                declared = try entry.declaredSchedule().map { ($0, "manifest \(manifestPath) (\(entry.id))") }
            } catch {
                throw Failure(error.description, hint: "fix the entry's \"schedule\", or declare {\"kind\": \"unknown\"} for none")
            }
        } else {
            let side = sidecar(of: url)
            if FileManager.default.fileExists(atPath: side.path) {
                declared = try file(side, shown: side.lastPathComponent).map { ($0, "sidecar \(side.lastPathComponent)") }
            }
        }
        let logged = log.learningRate.flatMap { $0.isEmpty ? nil : $0 }
        if let declared {
            let schedule: LearningRateSchedule
            do { schedule = try LearningRateSchedule(declared.spec) } catch {
                throw Failure("\(declared.source): \(error.description)")
            }
            if let logged {
                check(schedule, against: logged, upTo: options.fitUntil, source: declared.source, shown: shown, warn: warn)
            }
            return Found(schedule: schedule, source: declared.source)
        }
        guard let logged else { return nil }
        var steps: [Int] = []
        for point in logged.points {
            guard point.step == point.step.rounded(), point.step >= 0,
                  point.step <= Double(LearningRateSchedule.maximumSteps) else {
                warn("\(point.location): the learning rate is logged at step \(NumberFormat.step(point.step)), not a whole step <= \(LearningRateSchedule.maximumSteps); the lr column is not used (declare the schedule with --schedule)")
                return nil
            }
            steps.append(Int(point.step))
        }
        do {
            return Found(schedule: try LearningRateSchedule(steps: steps, rates: logged.values), source: "lr column")
        } catch {
            throw Failure("\(shown): \(error.description)")
        }
    }

    /// `--schedule`'s value: inline JSON (it starts with '{') or a file.
    static func option(_ value: String, context: CommandLineTool.Context) throws(Failure) -> ScheduleSpecification? {
        if value.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
            do { return try ScheduleSpecification.parseDeclared(json: Data(value.utf8)) } catch {
                throw Failure("--schedule (inline JSON): \(error.description)")
            }
        }
        let url = context.resolve(value)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Failure("--schedule \(value): no such file; give a JSON file or an inline object such as '{\"kind\": \"cosine\", \"warmup\": 2000, \"total\": 24000, \"peak\": 3e-4, \"end\": 3e-5}'")
        }
        return try file(url, shown: "--schedule \(value)")
    }

    static func file(_ url: URL, shown: String) throws(Failure) -> ScheduleSpecification? {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Failure("\(shown): cannot read the file; check its permissions")
        }
        do { return try ScheduleSpecification.parseDeclared(json: data) } catch {
            throw Failure("\(shown): \(error.description)")
        }
    }

    static func manifest(_ path: String, context: CommandLineTool.Context) throws(Failure) -> CurveManifest {
        do { return try CurveManifest(contentsOf: context.resolve(path)) } catch {
            throw Failure("--manifest: \(error.description)")
        }
    }

    /// Warns when the declared schedule disagrees with the rates logged up to `cut` (all when nil:
    /// a plan for the steps after a --fit-until cut may differ from what was logged there).
    static func check(_ schedule: LearningRateSchedule, against logged: MetricSeries, upTo cut: Double?, source: String,
                      shown: String, warn: (String) -> Void) {
        let last = min(cut ?? .infinity, Double(LearningRateSchedule.maximumSteps))
        for point in logged.points where point.step >= 0 && point.step <= last {
            let declared = schedule.rate(atStep: Int(point.step.rounded()))
            guard abs(declared - point.value) > disagreement * max(abs(declared), abs(point.value)) else { continue }
            warn("\(point.location): the schedule from \(source) gives the learning rate \(declared) at step \(NumberFormat.step(point.step)), but \(shown) logged \(point.value); using the declared schedule (fix it if the log is right)")
            return
        }
    }
}

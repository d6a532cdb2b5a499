import CurveModels
import Foundation
import RunLogs

/// A MANIFEST.json in the shared format (../shared/data/MANIFEST.json): the curves of a folder
/// with their metadata and learning-rate schedules,
/// ```
/// {"curves": [{"id": "mpl/25M/cosine_24000", "file": "curves/mpl/25M/cosine_24000.csv",
///              "columns": ["step", "lr", "loss"], "metric": "...", "direction": "minimize",
///              "schedule": {"kind": "cosine", "warmup": 2160, "total": 24000, "peak": 0.0003, "end": 3e-05},
///              ...}, ...]}
/// ```
/// `file` is relative to the manifest's folder. Fields other than these are ignored; `schedule`
/// is optional, and `{"kind": "unknown"}` means no declared schedule. A manifest whose structure
/// is wrong (not an object, no `curves` array, an entry without `file`) is refused when read; an
/// entry whose schedule cannot be parsed is refused only when that entry is used
/// (`declaredSchedule()`), so one bad entry does not block work on the others.
public struct CurveManifest: Sendable {
    public struct Entry: Sendable {
        public let id: String
        /// The curve's file, resolved against the manifest's folder and standardized.
        public let url: URL
        /// As written in the manifest.
        public let file: String
        public let direction: String?
        public let metric: String?
        /// The declared schedule as parsed (nil: none or `"kind": "unknown"`), or why it could not
        /// be parsed (naming the manifest, the entry and the field).
        let parsedSchedule: Result<ScheduleSpecification?, ReadError>

        /// The declared schedule (nil: none, `"kind": "unknown"`, or one that could not be
        /// parsed; `declaredSchedule()` tells these apart).
        public var schedule: ScheduleSpecification? { try? parsedSchedule.get() }

        /// The declared schedule; throws the entry's parse error if it had one.
        public func declaredSchedule() throws(ReadError) -> ScheduleSpecification? {
            try parsedSchedule.get()
        }
    }

    public let url: URL
    public let entries: [Entry]

    /// Why a manifest could not be read: names the manifest, the entry and the field.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public init(contentsOf url: URL) throws(ReadError) {
        let path = url.path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(message: "\(path): cannot read the manifest; check the path")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReadError(message: "\(path): not a JSON object; a manifest is {\"curves\": [{\"id\", \"file\", \"schedule\", ...}, ...]}")
        }
        guard let curves = object["curves"] as? [Any] else {
            throw ReadError(message: "\(path): field \"curves\" is missing or not an array; a manifest is {\"curves\": [{\"id\", \"file\", \"schedule\", ...}, ...]}")
        }
        let folder = url.deletingLastPathComponent()
        var entries: [Entry] = []
        for (index, item) in curves.enumerated() {
            let place = "\(path): curves[\(index)]"
            guard let curve = item as? [String: Any] else { throw ReadError(message: "\(place): not a JSON object") }
            guard let file = curve["file"] as? String, !file.isEmpty else {
                throw ReadError(message: "\(place): field \"file\" is missing or not a string; give the curve's path relative to the manifest")
            }
            let id = curve["id"] as? String ?? file
            var schedule: Result<ScheduleSpecification?, ReadError> = .success(nil)
            if let declared = curve["schedule"] {
                if JSONSerialization.isValidJSONObject(declared), let json = try? JSONSerialization.data(withJSONObject: declared) {
                    do {
                        schedule = .success(try ScheduleSpecification.parseDeclared(json: json))
                    } catch {
                        schedule = .failure(ReadError(message: "\(place) (\(id)): \(error.description)"))
                    }
                } else {
                    schedule = .failure(ReadError(message: "\(place) (\(id)): field \"schedule\" is not a JSON object"))
                }
            }
            entries.append(Entry(id: id, url: folder.appendingPathComponent(file).standardizedFileURL, file: file,
                                 direction: curve["direction"] as? String, metric: curve["metric"] as? String,
                                 parsedSchedule: schedule))
        }
        self.url = url
        self.entries = entries
    }

    /// The entry of the curve file at `url` (compared as standardized, symlink-resolved paths).
    public func entry(for url: URL) -> Entry? {
        let wanted = url.standardizedFileURL.resolvingSymlinksInPath().path
        return entries.first { $0.url.resolvingSymlinksInPath().path == wanted }
    }

    /// The entry with this id.
    public func entry(id: String) -> Entry? { entries.first { $0.id == id } }
}

extension CurveManifest.Entry {
    /// The entry's CSV curve (`step` and `valueColumn`) as a training run with its declared
    /// schedule, or the logged `lr` column's when none is declared.
    public func trainingRun(valueColumn: String = "loss", fitUntil: Double? = nil) throws(CurveManifest.ReadError) -> TrainingRun {
        let reader = CSVLogReader(options: .init(stepColumn: "step", valueColumns: [valueColumn], learningRateColumn: "lr"))
        let log: RunLog
        do { log = try reader.read(url) } catch { throw .init(message: "\(id): \(error.description)") }
        guard let series = log[metric: valueColumn], !series.isEmpty else {
            throw .init(message: "\(id): \(file) has no '\(valueColumn)' values")
        }
        var schedule: LearningRateSchedule?
        let declared = try declaredSchedule()
        do {
            if let declared {
                schedule = try LearningRateSchedule(declared)
            } else if let lr = log.learningRate, !lr.isEmpty {
                schedule = try LearningRateSchedule(steps: lr.steps.map { Int($0.rounded()) }, rates: lr.values)
            }
        } catch {
            throw .init(message: "\(id): \(error.description)")
        }
        return TrainingRun(name: id, steps: series.steps, values: series.values, schedule: schedule, fitUntil: fitUntil)
    }
}

import Foundation
import RunLogs

/// A directory of curves described by a MANIFEST.json in the shared format
/// (../shared/data/MANIFEST.json: {"curves": [{"id", "file", "columns", "direction",
/// "schedule": {"kind", ...}, ...}]}).
public struct BacktestCorpus: Sendable {
    public struct Curve: Sendable {
        public let id: String
        /// The first path component of the id ("gemstones", "zsl", "mpl"): the reporting group.
        public let group: String
        public let steps: [Double]
        public let values: [Double]
        public let scheduleKind: String
        /// The manifest entry's scalar fields as text, nested objects flattened with dots
        /// ("model": "GPT-style LM, 25M parameters", "schedule.total": "24000", "last_step": "23936"):
        /// what `curvecast replay --group-by` groups on.
        public var fields: [String: String] = [:]
    }

    public let curves: [Curve]

    /// Schedules under which the learning rate does not decay after a cut: the curves the
    /// plain (schedule-unaware) laws are scored on. "unknown" is the zsl logs, whose LR is
    /// constant after warmup over the logged range.
    public static let nonDecayingSchedules: Set<String> = ["constant", "constant_after_warmup", "unknown"]

    public enum CorpusError: Error, CustomStringConvertible {
        case manifest(String)
        case curve(id: String, message: String)
        public var description: String {
            switch self {
            case .manifest(let m): return m
            case .curve(let id, let m): return "curve \(id): \(m)"
            }
        }
    }

    /// Reads the manifest and the curves it lists; `include` filters by (id, schedule kind).
    public init(directory: URL, include: (String, String) -> Bool = { _, kind in nonDecayingSchedules.contains(kind) })
        throws(CorpusError) {
        let manifestURL = directory.appendingPathComponent("MANIFEST.json")
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw .manifest("\(manifestURL.path): not found; --corpus needs a directory with a MANIFEST.json in the shared format")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = object["curves"] as? [[String: Any]] else {
            throw .manifest("\(manifestURL.path): field 'curves' is missing or not an array of objects")
        }
        var curves: [Curve] = []
        for (index, entry) in entries.enumerated() {
            guard let id = entry["id"] as? String, let file = entry["file"] as? String else {
                throw .manifest("\(manifestURL.path): curves[\(index)]: 'id' and 'file' must be strings")
            }
            let kind = (entry["schedule"] as? [String: Any])?["kind"] as? String ?? "unknown"
            guard include(id, kind) else { continue }
            if let direction = entry["direction"] as? String, direction != "minimize" {
                throw .curve(id: id, message: "direction '\(direction)' is not supported by the back-test yet; only minimize")
            }
            let reader = CSVLogReader(options: .init(stepColumn: "step", valueColumns: ["loss"], learningRateColumn: nil))
            let log: RunLog
            do { log = try reader.read(directory.appendingPathComponent(file)) } catch {
                throw .curve(id: id, message: error.description)
            }
            guard let series = log[metric: "loss"] else { throw .curve(id: id, message: "no 'loss' column") }
            curves.append(Curve(id: id, group: String(id.split(separator: "/").first ?? Substring(id)),
                                steps: series.steps, values: series.values, scheduleKind: kind,
                                fields: Self.flattened(entry)))
        }
        self.curves = curves
    }

    /// Scalar fields as text; objects flattened as "outer.inner"; arrays left out.
    static func flattened(_ object: [String: Any], prefix: String = "") -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in object {
            let name = prefix + key
            if let text = value as? String {
                fields[name] = text
            } else if let number = value as? NSNumber {
                fields[name] = number.stringValue
            } else if let nested = value as? [String: Any] {
                fields.merge(flattened(nested, prefix: name + "."), uniquingKeysWith: { a, _ in a })
            }
        }
        return fields
    }
}

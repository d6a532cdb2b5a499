import Foundation

/// Finds out what kind of log a path holds and reads it with the right reader.
///
/// Detection, for a file (by name, then extension):
/// `trainer_state.json` -> Hugging Face; `events.out.tfevents.*` -> TensorBoard; `metrics.csv` ->
/// Lightning; `*.jsonl`, `*.ndjson` -> JSONL; `*.csv` -> CSV; another `*.json` -> Hugging Face if it
/// has a `log_history` key.
///
/// For a directory, the first that applies: a `trainer_state.json` at the top or in a
/// `checkpoint-*/` folder -> Hugging Face run directory; `metrics.csv` -> Lightning;
/// `events.out.tfevents.*` files -> TensorBoard (all files merged); exactly one `*.csv`/`*.jsonl`
/// file -> that file.
public enum RunLogReader {
    /// What was detected at a path.
    public struct Detection: Sendable, Hashable {
        /// The format.
        public var format: LogFormat
        /// The file to read, or the run directory (Hugging Face checkpoints, TensorBoard files).
        public var url: URL
        /// Whether `url` is a directory to read as a whole.
        public var isDirectory: Bool
    }

    /// Why no log could be found at a path.
    public struct DiscoveryError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The specific problem.
        public enum Reason: Sendable, Hashable {
            /// Nothing exists at the path.
            case notFound
            /// A file whose name matches no known format.
            case unrecognizedFile
            /// A directory with no recognizable log; lists (some of) its entries.
            case noLogInDirectory(entries: [String])
            /// A directory with several CSV/JSONL files and nothing else to go by.
            case ambiguous(candidates: [String])
        }

        /// The path.
        public var path: String
        /// The problem.
        public var reason: Reason

        /// A message naming the path and what to do.
        public var description: String {
            switch reason {
            case .notFound:
                return "\(path): no such file or directory; check the path"
            case .unrecognizedFile:
                return "\(path): not a known log format (expected *.csv, *.jsonl, trainer_state.json, metrics.csv "
                    + "or events.out.tfevents.*); rename it or use the matching reader directly"
            case .noLogInDirectory(let entries):
                let shown = entries.prefix(10).joined(separator: ", ") + (entries.count > 10 ? ", ..." : "")
                return "\(path): no run log found (looked for trainer_state.json, checkpoint-*/trainer_state.json, "
                    + "metrics.csv, events.out.tfevents.*, a single *.csv or *.jsonl); the directory holds: "
                    + (entries.isEmpty ? "nothing" : shown)
            case .ambiguous(let candidates):
                return "\(path): several possible logs (\(candidates.joined(separator: ", "))); point at one file"
            }
        }
    }

    /// Detects the format of the log at `url`.
    public static func detect(_ url: URL) throws(DiscoveryError) -> Detection {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw DiscoveryError(path: url.path, reason: .notFound)
        }
        if !isDirectory.boolValue {
            guard let format = formatOfFile(url) else { throw DiscoveryError(path: url.path, reason: .unrecognizedFile) }
            return Detection(format: format, url: url, isDirectory: false)
        }
        if !TrainerStateReader.candidates(in: url).isEmpty {
            return Detection(format: .trainerState, url: url, isDirectory: true)
        }
        let lightning = url.appendingPathComponent("metrics.csv")
        if manager.fileExists(atPath: lightning.path) {
            return Detection(format: .lightningCSV, url: lightning, isDirectory: false)
        }
        if !TensorBoardReader.eventFiles(in: url).isEmpty {
            return Detection(format: .tensorBoard, url: url, isDirectory: true)
        }
        let entries = ((try? manager.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
        let logs = entries.filter { name in
            let ext = (name as NSString).pathExtension.lowercased()
            return ["csv", "jsonl", "ndjson"].contains(ext)
        }
        if logs.count == 1 {
            let file = url.appendingPathComponent(logs[0])
            return Detection(format: formatOfFile(file) ?? .csv, url: file, isDirectory: false)
        }
        if logs.count > 1 { throw DiscoveryError(path: url.path, reason: .ambiguous(candidates: logs)) }
        throw DiscoveryError(path: url.path, reason: .noLogInDirectory(entries: entries))
    }

    /// The format of a file from its name (and, for other `*.json`, a `log_history` key).
    public static func formatOfFile(_ url: URL) -> LogFormat? {
        let name = url.lastPathComponent
        if name == "trainer_state.json" { return .trainerState }
        if TensorBoardReader.isEventFileName(name) { return .tensorBoard }
        if name == "metrics.csv" { return .lightningCSV }
        switch url.pathExtension.lowercased() {
        case "jsonl", "ndjson": return .jsonl
        case "csv": return .csv
        case "json":
            if case .success(let prefix) = FileBytes.readPrefix(url, count: 1 << 20),
                String(decoding: prefix, as: UTF8.self).contains("\"log_history\"")
            {
                return .trainerState
            }
            return nil
        default: return nil
        }
    }

    /// Detects and reads the log at `url` with default options and the given mode.
    ///
    /// - Throws: `DiscoveryError`, or the chosen reader's `ReadError`.
    public static func read(_ url: URL, mode: ReadMode = .resume) throws -> RunLog {
        let detection = try detect(url)
        switch detection.format {
        case .csv: return try CSVLogReader(options: .init(mode: mode)).read(detection.url)
        case .jsonl: return try JSONLLogReader(options: .init(mode: mode)).read(detection.url)
        case .lightningCSV: return try LightningCSVReader(options: .init(mode: mode)).read(detection.url)
        case .trainerState:
            let reader = TrainerStateReader(options: .init(mode: mode))
            return detection.isDirectory ? try reader.readRunDirectory(detection.url) : try reader.read(detection.url)
        case .tensorBoard:
            let reader = TensorBoardReader(options: .init(mode: mode))
            return detection.isDirectory ? try reader.readRunDirectory(detection.url) : try reader.read(detection.url)
        }
    }
}

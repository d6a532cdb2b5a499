import Foundation

/// Follows one run, whatever its format, for a daemon that polls: the run-level counterpart of
/// `TailReader`.
///
/// - A single log file (CSV, JSONL, Lightning `metrics.csv`, one event file) is followed with a
///   `TailReader`: only appended bytes are read.
/// - A TensorBoard run directory gets one `TailReader` per event file; files that appear later
///   (a resumed run) are picked up, and the files are merged in order of their first event's
///   wall time with the resume rule, exactly as `TensorBoardReader.readRunDirectory` does.
/// - `trainer_state.json` is rewritten whole at every checkpoint, so it is re-read (as
///   `TrainerStateReader.readRunDirectory` does) only when a candidate file's size or
///   modification time changed.
public struct RunTail: Sendable {
    /// The result of a poll.
    public struct Update: Sendable {
        /// Everything read so far.
        public var log: RunLog
        /// Whether anything changed since the previous poll.
        public var changed: Bool
        /// Files that were read again from the start in this poll, with the reason.
        public var restarts: [String: TailReader.Restart]
    }

    private struct EventFile: Sendable {
        var tail: TailReader
        var firstWallTime: Double?
    }

    private enum Source: Sendable {
        case file(TailReader)
        case tensorBoard(directory: URL, files: [String: EventFile])
        case trainerState(url: URL, isDirectory: Bool, signature: [String], log: RunLog?)
    }

    /// What was detected at the path.
    public let detection: RunLogReader.Detection
    /// How repeated/decreasing steps are treated.
    public let mode: ReadMode
    private var source: Source

    /// Detects the run's format at `path` (see `RunLogReader.detect`); nothing is read yet.
    ///
    /// `metrics` names the columns (CSV) or keys (JSONL) to read as metrics; nil reads the
    /// readers' default, `loss`. The other formats read every metric they log.
    public init(path: URL, mode: ReadMode = .resume, metrics: [String]? = nil) throws(RunLogReader.DiscoveryError) {
        detection = try RunLogReader.detect(path)
        self.mode = mode
        let csv = metrics.map { CSVLogReader.Options(valueColumns: $0, mode: mode) } ?? .init(mode: mode)
        let jsonl = metrics.map { JSONLLogReader.Options(valueKeys: $0, mode: mode) } ?? .init(mode: mode)
        switch detection.format {
        case .csv: source = .file(TailReader(file: detection.url, format: .csv(csv)))
        case .jsonl: source = .file(TailReader(file: detection.url, format: .jsonl(jsonl)))
        case .lightningCSV: source = .file(TailReader(file: detection.url, format: .lightningCSV(.init(mode: mode))))
        case .tensorBoard:
            if detection.isDirectory {
                source = .tensorBoard(directory: detection.url, files: [:])
            } else {
                source = .file(TailReader(file: detection.url, format: .tensorBoard(.init(mode: mode))))
            }
        case .trainerState:
            source = .trainerState(url: detection.url, isDirectory: detection.isDirectory, signature: [], log: nil)
        }
    }

    /// Reads what is new.
    ///
    /// - Throws: the format reader's `ReadError`. The tail keeps its state, so the next poll
    ///   retries (a half-written `trainer_state.json` usually reads fine a moment later).
    public mutating func poll() throws -> Update {
        switch source {
        case .file(var tail):
            let update = try tail.poll()
            source = .file(tail)
            var restarts: [String: TailReader.Restart] = [:]
            if let restart = update.restart { restarts[tail.file.path] = restart }
            return Update(log: update.log, changed: update.bytesConsumed > 0 || update.restart != nil, restarts: restarts)

        case .tensorBoard(let directory, var files):
            var changed = false
            var restarts: [String: TailReader.Restart] = [:]
            for url in TensorBoardReader.eventFiles(in: directory) where files[url.path] == nil {
                files[url.path] = EventFile(tail: TailReader(file: url, format: .tensorBoard(.init(mode: mode))))
                changed = true
            }
            var logs: [(log: RunLog, wallTime: Double, name: String)] = []
            for path in files.keys.sorted() {
                var file = files[path]!
                let update = try file.tail.poll()
                if update.bytesConsumed > 0 || update.restart != nil { changed = true }
                if let restart = update.restart {
                    restarts[path] = restart
                    file.firstWallTime = nil
                }
                if file.firstWallTime == nil, file.tail.offset > 0,
                    case .success(let prefix) = FileBytes.readPrefix(file.tail.file, count: min(file.tail.offset, 1 << 16))
                {
                    file.firstWallTime = TensorBoardReader.firstWallTime(prefix)
                }
                files[path] = file
                logs.append((update.log, file.firstWallTime ?? .infinity, file.tail.file.lastPathComponent))
            }
            source = .tensorBoard(directory: directory, files: files)
            logs.sort { ($0.wallTime, $0.name) < ($1.wallTime, $1.name) }
            return Update(log: Self.merge(logs.map(\.log), source: directory.path, mode: mode), changed: changed, restarts: restarts)

        case .trainerState(let url, let isDirectory, let signature, let cached):
            let files = isDirectory ? TrainerStateReader.candidates(in: url) : [url]
            let current = files.map(Self.signature)
            if let cached, current == signature {
                return Update(log: cached, changed: false, restarts: [:])
            }
            let reader = TrainerStateReader(options: .init(mode: mode))
            let log = isDirectory ? try reader.readRunDirectory(url) : try reader.read(url)
            source = .trainerState(url: url, isDirectory: isDirectory, signature: current, log: log)
            return Update(log: log, changed: true, restarts: [:])
        }
    }

    /// `path|size|mtime`, to notice a rewritten file without reading it.
    private static func signature(_ url: URL) -> String {
        let attributes = (try? FileManager.default.attributesOfItem(atPath: url.path)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        return "\(url.path)|\(size)|\(modified)"
    }

    /// Merges per-file logs (already in write order) with the resume rule across files. Points
    /// that survived within their own file survive the merge exactly when no later file logs a
    /// step at or below theirs, which is what reading all files in one pass gives.
    static func merge(_ logs: [RunLog], source: String, mode: ReadMode) -> RunLog {
        var builder = RunLogBuilder(source: source, format: .tensorBoard, mode: mode)
        var pending: [PendingTail] = []
        for log in logs {
            builder.extraIssues += log.issues
            pending += log.pending
            for series in log.metrics {
                builder.declare(metric: series.name)
                for point in series.points {
                    builder.add(metric: series.name, step: point.step, value: point.value, at: point.location)
                }
            }
            for point in log.learningRate?.points ?? [] {
                builder.addLearningRate(step: point.step, value: point.value, at: point.location)
            }
        }
        builder.pending = pending
        return builder.build()
    }
}

import Foundation

/// Reads TensorBoard event files (`events.out.tfevents.*`): TFRecord-framed `Event` protos.
///
/// Rules:
/// - Every scalar summary value becomes a point of the metric named by its tag (e.g.
///   `train/loss`) at the event's step. The first tag that looks like a learning rate (last path
///   component `lr`, `learning_rate`, `lr-*` or `lr_*`, e.g. `train/learning_rate`, `lr-Adam`)
///   becomes `RunLog.learningRate`.
/// - A record whose length or data is cut off at the end of the file is pending (the writer is
///   still writing), never an error.
/// - A length CRC mismatch is always an error naming file and byte offset: with a bad length the
///   next record cannot be found. A data CRC mismatch is an error by default
///   (`CorruptRecordPolicy.fail`); with `.skip` the record is skipped with a `ReadIssue`.
/// - A run directory with several event files (a resumed run writes a new file) is read file by
///   file in order of the first event's wall time (then name), through one `RunLog`; with the
///   default `ReadMode.resume` a step logged again in a later file replaces the earlier one.
public struct TensorBoardReader: Sendable {
    /// What to do with a record whose data fails its CRC.
    public enum CorruptRecordPolicy: Sendable, Hashable {
        /// Stop with a `ReadError` naming the file and byte offset (the default).
        case fail
        /// Skip the record and report it as a `ReadIssue`.
        case skip
    }

    /// Options.
    public struct Options: Sendable, Hashable {
        /// How repeated/decreasing steps are treated.
        public var mode: ReadMode
        /// What to do with a record whose data fails its CRC.
        public var corruptRecords: CorruptRecordPolicy

        /// Defaults: resume mode, fail on a corrupt record.
        public init(mode: ReadMode = .resume, corruptRecords: CorruptRecordPolicy = .fail) {
            self.mode = mode
            self.corruptRecords = corruptRecords
        }
    }

    /// Why event files could not be read. `description` names file and byte offset.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The specific problem.
        public enum Reason: Sendable, Hashable {
            /// The file could not be opened or read.
            case unreadable(String)
            /// The CRC of a record's length field does not match.
            case lengthChecksumMismatch(stored: UInt32, computed: UInt32)
            /// The CRC of a record's data does not match.
            case dataChecksumMismatch(stored: UInt32, computed: UInt32)
            /// The record's CRCs match but it is not a valid Event proto.
            case malformedEvent(String)
            /// A directory without event files.
            case noEventFiles
        }

        /// The file (or directory).
        public var file: String
        /// The byte offset of the record concerned, when there is one.
        public var byteOffset: Int?
        /// The problem.
        public var reason: Reason

        /// Creates an error.
        public init(file: String, byteOffset: Int?, reason: Reason) {
            self.file = file
            self.byteOffset = byteOffset
            self.reason = reason
        }

        /// E.g. `events.out.tfevents.1.host:byte 96: record data CRC mismatch ...`.
        public var description: String {
            let place = byteOffset.map { "\(file):byte \($0)" } ?? file
            func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
            switch reason {
            case .unreadable(let why): return "\(place): \(why)"
            case .lengthChecksumMismatch(let stored, let computed):
                return "\(place): record length field: CRC mismatch (stored \(hex(stored)), computed \(hex(computed))); "
                    + "the file is damaged from here on; records before this offset are intact"
            case .dataChecksumMismatch(let stored, let computed):
                return "\(place): record data: CRC mismatch (stored \(hex(stored)), computed \(hex(computed))); "
                    + "the file is damaged; read with corruptRecords: .skip to skip damaged records"
            case .malformedEvent(let message):
                return "\(place): record data: not a valid Event proto (\(message)); is this a TensorBoard event file?"
            case .noEventFiles:
                return "\(place): no events.out.tfevents.* files in this directory; point at the folder "
                    + "the SummaryWriter writes to"
            }
        }
    }

    /// The options.
    public var options: Options

    /// Creates a reader.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Whether a tag holds a learning rate (see the type's documentation).
    public static func isLearningRateTag(_ tag: String) -> Bool {
        let last = tag.split(separator: "/").last.map(String.init) ?? tag
        return LightningCSVReader.isLearningRateColumn(last)
    }

    /// Whether a file name is a TensorBoard event file.
    public static func isEventFileName(_ name: String) -> Bool {
        name.hasPrefix("events.out.tfevents.")
    }

    /// The event files directly inside `directory`, sorted by name.
    public static func eventFiles(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter(isEventFileName).sorted().map { directory.appendingPathComponent($0) }
    }

    /// Reads one event file.
    public func read(_ url: URL) throws(ReadError) -> RunLog {
        try read(files: [url], source: url.path)
    }

    /// Reads and merges all event files of a run directory (see the type's documentation).
    public func readRunDirectory(_ directory: URL) throws(ReadError) -> RunLog {
        let files = Self.eventFiles(in: directory)
        guard !files.isEmpty else { throw ReadError(file: directory.path, byteOffset: nil, reason: .noEventFiles) }
        return try read(files: files, source: directory.path)
    }

    /// Reads event bytes (e.g. built in memory); `source` names them in messages.
    public func parse(_ bytes: [UInt8], source: String) throws(ReadError) -> RunLog {
        var builder = RunLogBuilder(source: source, format: .tensorBoard, mode: options.mode)
        var decoder = TensorBoardDecoder(file: source, policy: options.corruptRecords)
        _ = try decoder.decode(bytes, baseOffset: 0, into: &builder)
        return builder.build()
    }

    private func read(files: [URL], source: String) throws(ReadError) -> RunLog {
        var contents: [(url: URL, bytes: [UInt8], firstWallTime: Double)] = []
        for file in files {
            switch FileBytes.read(file) {
            case .success(let bytes): contents.append((file, bytes, Self.firstWallTime(bytes) ?? .infinity))
            case .failure(let problem): throw ReadError(file: file.path, byteOffset: nil, reason: .unreadable(problem.reason))
            }
        }
        contents.sort { ($0.firstWallTime, $0.url.lastPathComponent) < ($1.firstWallTime, $1.url.lastPathComponent) }
        var builder = RunLogBuilder(source: source, format: .tensorBoard, mode: options.mode)
        var decoder = TensorBoardDecoder(file: source, policy: options.corruptRecords)
        var pending: [PendingTail] = []
        for content in contents {
            decoder.file = content.url.path
            _ = try decoder.decode(content.bytes, baseOffset: 0, into: &builder)
            pending += builder.pending
        }
        builder.pending = pending
        return builder.build()
    }

    /// The wall time of the first record, if it is complete and valid.
    static func firstWallTime(_ bytes: [UInt8]) -> Double? {
        guard bytes.count >= TensorBoardDecoder.headerSize else { return nil }
        var header = ProtobufReader(bytes, range: 0..<8)
        guard let length = try? header.readFixed64(), length <= UInt64(bytes.count - TensorBoardDecoder.headerSize) else { return nil }
        let range = TensorBoardDecoder.headerSize..<(TensorBoardDecoder.headerSize + Int(length))
        return try? EventDecoder.decode(bytes, range: range).wallTime
    }
}

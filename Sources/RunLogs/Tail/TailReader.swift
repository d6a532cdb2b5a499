import Foundation

/// Reads a growing log file incrementally: each `poll()` reads only the bytes appended since the
/// last complete record, so a daemon can follow many runs cheaply.
///
/// The reader remembers `offset`, the byte just past the last complete record (line, CSV
/// record, TFRecord). An incomplete last record is left for the next poll and shown in
/// `RunLog.pending`. Each poll first checks that the file is still the one it was reading:
/// - the file is shorter than `offset` (truncated, or replaced by a new run), or
/// - its first bytes changed (a CSV header rewritten, as Lightning does when a metric appears;
///   for headerless formats the first 64 bytes are compared)
///
/// and if so forgets everything and reads again from the start (`Update.restart` says why).
/// The resume rule and the NaN/inf rule apply across polls exactly as in a one-shot read.
/// Errors are the format reader's `ReadError`; after an error the reader's state is unchanged,
/// so a poll after the file is fixed (or rewritten) goes on.
public struct TailReader: Sendable {
    /// The format of the followed file, with the format reader's options.
    public enum Format: Sendable, Hashable {
        /// Generic CSV (`CSVLogReader`).
        case csv(CSVLogReader.Options)
        /// JSON Lines (`JSONLLogReader`).
        case jsonl(JSONLLogReader.Options)
        /// Lightning `metrics.csv` (`LightningCSVReader`).
        case lightningCSV(LightningCSVReader.Options)
        /// One TensorBoard event file (`TensorBoardReader`).
        case tensorBoard(TensorBoardReader.Options)
    }

    /// Why a poll started over from the beginning of the file.
    public enum Restart: Sendable, Hashable {
        /// The file became shorter than what had been read.
        case truncated(previousOffset: Int, size: Int)
        /// The header (or first bytes) changed: the file was rewritten.
        case rewritten
    }

    /// The result of a poll.
    public struct Update: Sendable {
        /// Everything read so far (not only the new points).
        public var log: RunLog
        /// How many bytes of complete records this poll consumed.
        public var bytesConsumed: Int
        /// Set when this poll re-read the file from the start.
        public var restart: Restart?
    }

    /// The followed file.
    public let file: URL
    /// Its format.
    public let format: Format
    /// The byte offset just past the last complete record read.
    public private(set) var offset = 0

    private enum Decoder: Sendable {
        case csv(CSVLogDecoder)
        case jsonl(JSONLDecoder)
        case tensorBoard(TensorBoardDecoder)
    }

    private var decoder: Decoder
    private var builder: RunLogBuilder
    private var fingerprint: [UInt8] = []

    /// How many leading bytes identify a headerless file.
    static let fingerprintLength = 64

    /// Creates a reader positioned at the start of `file` (nothing is read until `poll()`).
    public init(file: URL, format: Format) {
        self.file = file
        self.format = format
        (decoder, builder) = Self.fresh(file: file.path, format: format)
    }

    private static func fresh(file: String, format: Format) -> (Decoder, RunLogBuilder) {
        switch format {
        case .csv(let options):
            return (.csv(CSVLogDecoder(file: file, flavor: .generic(options))), RunLogBuilder(source: file, format: .csv, mode: options.mode))
        case .lightningCSV(let options):
            return (
                .csv(CSVLogDecoder(file: file, flavor: .lightning(options))),
                RunLogBuilder(source: file, format: .lightningCSV, mode: options.mode)
            )
        case .jsonl(let options):
            return (.jsonl(JSONLDecoder(file: file, options: options)), RunLogBuilder(source: file, format: .jsonl, mode: options.mode))
        case .tensorBoard(let options):
            return (
                .tensorBoard(TensorBoardDecoder(file: file, policy: options.corruptRecords)),
                RunLogBuilder(source: file, format: .tensorBoard, mode: options.mode)
            )
        }
    }

    /// The run log as of the last poll.
    public var log: RunLog { builder.build() }

    /// Reads what was appended since the last poll (or everything, after a truncation/rewrite).
    ///
    /// - Throws: the format reader's `ReadError` (`CSVLogReader.ReadError`,
    ///   `JSONLLogReader.ReadError`, `TensorBoardReader.ReadError`).
    public mutating func poll() throws -> Update {
        let path = file.path
        let size: Int
        switch FileBytes.size(file) {
        case .success(let value): size = value
        case .failure(let problem): throw unreadable(problem.reason)
        }
        var restart: Restart?
        if size < offset {
            restart = .truncated(previousOffset: offset, size: size)
        } else if !fingerprint.isEmpty {
            switch FileBytes.readPrefix(file, count: fingerprint.count) {
            case .success(let prefix): if prefix != fingerprint { restart = .rewritten }
            case .failure(let problem): throw unreadable(problem.reason)
            }
        }
        // Work on copies so that a thrown error leaves the reader as it was.
        var decoder = self.decoder
        var builder = self.builder
        var offset = self.offset
        var fingerprint = self.fingerprint
        if restart != nil {
            (decoder, builder) = Self.fresh(file: path, format: format)
            offset = 0
            fingerprint = []
        }
        let bytes: [UInt8]
        switch FileBytes.read(file, from: offset) {
        case .success(let read): bytes = read
        case .failure(let problem): throw unreadable(problem.reason)
        }
        var consumed = 0
        var fingerprintLength = 0
        switch decoder {
        case .csv(var csv):
            consumed = try csv.decode(bytes, baseOffset: offset, isFinished: false, into: &builder)
            if csv.hasHeader { fingerprintLength = csv.headerEnd }
            decoder = .csv(csv)
        case .jsonl(var jsonl):
            consumed = try jsonl.decode(bytes, baseOffset: offset, isFinished: false, into: &builder)
            fingerprintLength = min(offset + consumed, Self.fingerprintLength)
            decoder = .jsonl(jsonl)
        case .tensorBoard(var events):
            consumed = try events.decode(bytes, baseOffset: offset, into: &builder)
            fingerprintLength = min(offset + consumed, Self.fingerprintLength)
            decoder = .tensorBoard(events)
        }
        offset += consumed
        if fingerprint.count < fingerprintLength {
            switch FileBytes.readPrefix(file, count: fingerprintLength) {
            case .success(let prefix): fingerprint = prefix
            case .failure(let problem): throw unreadable(problem.reason)
            }
        }
        self.decoder = decoder
        self.builder = builder
        self.offset = offset
        self.fingerprint = fingerprint
        return Update(log: builder.build(), bytesConsumed: consumed, restart: restart)
    }

    private func unreadable(_ reason: String) -> any Error {
        switch format {
        case .csv, .lightningCSV: return CSVLogReader.ReadError(file: file.path, line: nil, reason: .unreadable(reason))
        case .jsonl: return JSONLLogReader.ReadError(file: file.path, line: nil, reason: .unreadable(reason))
        case .tensorBoard: return TensorBoardReader.ReadError(file: file.path, byteOffset: nil, reason: .unreadable(reason))
        }
    }
}

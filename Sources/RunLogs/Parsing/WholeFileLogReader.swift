import Foundation

/// A reader that parses a whole file's bytes at once (generic CSV, Lightning CSV, JSONL): reading
/// the file, and turning a failure to read it into the reader's own error, is shared here.
protocol WholeFileLogReader {
    associatedtype ReadError: Error
    /// The reader's error for a file that could not be read at all (`reason` says why).
    static func unreadable(file: String, reason: String) -> ReadError
    /// Parses the bytes of a finished log; `source` names it in messages.
    func parse(_ bytes: [UInt8], source: String) throws(ReadError) -> RunLog
}

extension WholeFileLogReader {
    /// Reads and parses the whole file at `url`.
    func readWholeFile(_ url: URL) throws(ReadError) -> RunLog {
        switch FileBytes.read(url) {
        case .success(let bytes): return try parse(bytes, source: url.path)
        case .failure(let problem): throw Self.unreadable(file: url.path, reason: problem.reason)
        }
    }
}

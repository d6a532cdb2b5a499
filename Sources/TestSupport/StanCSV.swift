import Foundation

/// A CmdStan output CSV read for tests: '#' comment lines are skipped, the first other line is
/// the header, and every following line is a row of numbers.
public struct StanCSV: Sendable {
    /// Why a file could not be read.
    public enum ReadError: Error, CustomStringConvertible {
        case missingHeader(URL)
        case badRow(URL, line: Int, expectedColumns: Int, text: String)

        public var description: String {
            switch self {
            case let .missingHeader(url):
                return "\(url.path): no header row (every line is empty or a '#' comment)"
            case let .badRow(url, line, expected, text):
                return "\(url.path) line \(line): expected \(expected) numbers, got \"\(text.prefix(80))\""
            }
        }
    }

    /// Column names from the header row, e.g. `lp__`, `accept_stat__`, `theta`.
    public let columns: [String]
    /// Draws in file order, one array of `columns.count` numbers per row.
    public let rows: [[Double]]

    public init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var header: [String]?
        var rows: [[Double]] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let columns = header else {
                header = fields
                continue
            }
            let values = fields.compactMap(Double.init)
            guard values.count == columns.count, fields.count == columns.count else {
                throw ReadError.badRow(url, line: index + 1, expectedColumns: columns.count, text: line)
            }
            rows.append(values)
        }
        guard let header else { throw ReadError.missingHeader(url) }
        self.columns = header
        self.rows = rows
    }

    /// All values of a column, or nil if the file has no such column.
    public func column(_ name: String) -> [Double]? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[index] }
    }
}

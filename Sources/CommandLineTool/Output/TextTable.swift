/// A plain-text table: a header row and data rows, the first `leftColumns` columns (text)
/// left-aligned, the others (numbers) right-aligned, columns separated by two spaces.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    var leftColumns: Int

    init(header: [String], leftColumns: Int = 1) {
        self.header = header
        self.leftColumns = leftColumns
    }

    mutating func append(_ row: [String]) { rows.append(row) }

    var rendered: String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return all.map { row in
            header.indices.map { c -> String in
                let cell = c < row.count ? row[c] : ""
                let fill = String(repeating: " ", count: widths[c] - cell.count)
                return c < leftColumns ? cell + fill : fill + cell
            }.joined(separator: "  ").trailingSpacesTrimmed
        }.joined(separator: "\n")
    }
}

extension String {
    var trailingSpacesTrimmed: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Number formatting for tables and CSV.
enum NumberFormat {
    /// `%.Ng` significant digits; "nan"/"inf" spelled out.
    static func significant(_ x: Double, _ digits: Int = 5) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        return String(format: "%.\(digits)g", x)
    }

    /// A step: an integer when it is one, otherwise 6 significant digits.
    static func step(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return significant(x, 6)
    }

    /// Full precision for machine-readable output (CSV): the shortest round-trip text.
    static func exact(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        return JSONValue.format(x)
    }
}

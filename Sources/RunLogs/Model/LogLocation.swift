/// Where a value came from: a file and a line (text formats) or a byte offset (binary formats).
///
/// Every point, issue and error carries one, so that a message can say exactly what to fix:
/// `run/metrics.csv:17` or `run/events.out.tfevents.1700000000.host:byte 4096`.
public struct LogLocation: Sendable, Hashable, CustomStringConvertible {
    /// A position inside a file.
    public enum Position: Sendable, Hashable {
        /// A 1-based physical line (for a CSV record with a quoted newline: the line it starts on).
        case line(Int)
        /// A 0-based byte offset (TensorBoard records: the offset of the record's length field).
        case byteOffset(Int)
    }

    /// The file path as the caller gave it.
    public var file: String
    /// The position inside `file`.
    public var position: Position

    /// Creates a location.
    public init(file: String, position: Position) {
        self.file = file
        self.position = position
    }

    /// A location at a 1-based line.
    public static func line(_ line: Int, in file: String) -> LogLocation {
        LogLocation(file: file, position: .line(line))
    }

    /// A location at a 0-based byte offset.
    public static func byte(_ offset: Int, in file: String) -> LogLocation {
        LogLocation(file: file, position: .byteOffset(offset))
    }

    /// `file:17` or `file:byte 4096`.
    public var description: String {
        switch position {
        case .line(let line): return "\(file):\(line)"
        case .byteOffset(let offset): return "\(file):byte \(offset)"
        }
    }

    /// `line 17` or `byte 4096`, for lists of positions inside one file.
    public var shortDescription: String {
        switch position {
        case .line(let line): return "line \(line)"
        case .byteOffset(let offset): return "byte \(offset)"
        }
    }
}

/// Lists positions compactly (`lines 4, 9, 12 and 3 more`), for warnings that aggregate many rows.
func describePositions(_ locations: [LogLocation], limit: Int = 10) -> String {
    guard let first = locations.first else { return "nowhere" }
    let isLines: Bool
    if case .line = first.position { isLines = true } else { isLines = false }
    let numbers = locations.prefix(limit).map { location -> String in
        switch location.position {
        case .line(let line): return String(line)
        case .byteOffset(let offset): return String(offset)
        }
    }
    let noun = isLines ? (locations.count == 1 ? "line" : "lines") : (locations.count == 1 ? "byte" : "bytes")
    var text = "\(noun) " + numbers.joined(separator: ", ")
    if locations.count > limit { text += " and \(locations.count - limit) more" }
    return text
}

/// A JSON value with the line it starts on, so that readers can name the line of a bad field.
struct JSONNode: Sendable {
    indirect enum Value: Sendable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([JSONNode])
        case object([(key: String, node: JSONNode)])
    }

    var value: Value
    /// The 1-based line of the value's first character.
    var line: Int

    /// The member `key` of an object (the first one, if repeated).
    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.node
    }

    /// Looks up `path`: first as a literal key (`"metrics.loss"`), then as a dotted path into
    /// nested objects (`{"metrics": {"loss": ...}}`).
    func lookup(_ path: String) -> JSONNode? {
        if let direct = self[path] { return direct }
        guard path.contains(".") else { return nil }
        var node: JSONNode? = self
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            node = node?[String(component)]
            if node == nil { return nil }
        }
        return node
    }

    /// A short rendering of the value for error messages.
    var brief: String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return String(number)
        case .string(let text): return "\"\(text.count > 40 ? text.prefix(40) + "..." : text)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A small JSON parser (RFC 8259) that records line numbers and, like Python's `json` module,
/// accepts the non-standard literals `NaN`, `Infinity` and `-Infinity` (Python writes them for
/// non-finite floats, e.g. a diverged loss in `trainer_state.json`).
struct JSONParser {
    struct SyntaxError: Error {
        var line: Int
        var column: Int
        var message: String
    }

    /// Nesting limit, so that hostile input cannot overflow the stack.
    static let maximumDepth = 512

    private let bytes: [UInt8]
    private var index: Int
    private let end: Int
    private var line: Int
    private var lineStart: Int

    /// Parses one JSON value filling `bytes[range]` (surrounding whitespace allowed); `firstLine`
    /// is the line number of `range.lowerBound`.
    static func parse(_ bytes: [UInt8], range: Range<Int>, firstLine: Int = 1) throws(SyntaxError) -> JSONNode {
        var parser = JSONParser(bytes: bytes, index: range.lowerBound, end: range.upperBound, line: firstLine, lineStart: range.lowerBound)
        parser.skipWhitespace()
        let node = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < parser.end { throw parser.error("unexpected text after the JSON value") }
        return node
    }

    private init(bytes: [UInt8], index: Int, end: Int, line: Int, lineStart: Int) {
        self.bytes = bytes
        self.index = index
        self.end = end
        self.line = line
        self.lineStart = lineStart
    }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(line: line, column: index - lineStart + 1, message: message)
    }

    private mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(SyntaxError) -> JSONNode {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        guard index < end else { throw error("unexpected end of input, expected a value") }
        let startLine = line
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [(key: String, node: JSONNode)] = []
            skipWhitespace()
            if index < end && bytes[index] == UInt8(ascii: "}") {
                index += 1
                return JSONNode(value: .object(members), line: startLine)
            }
            while true {
                skipWhitespace()
                guard index < end, bytes[index] == UInt8(ascii: "\"") else {
                    throw error("expected a quoted key")
                }
                let key = try parseString()
                skipWhitespace()
                guard index < end, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
                index += 1
                skipWhitespace()
                let node = try parseValue(depth: depth + 1)
                members.append((key, node))
                skipWhitespace()
                guard index < end else { throw error("unexpected end of input inside an object, expected ',' or '}'") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return JSONNode(value: .object(members), line: startLine)
                }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            var elements: [JSONNode] = []
            skipWhitespace()
            if index < end && bytes[index] == UInt8(ascii: "]") {
                index += 1
                return JSONNode(value: .array(elements), line: startLine)
            }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard index < end else { throw error("unexpected end of input inside an array, expected ',' or ']'") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return JSONNode(value: .array(elements), line: startLine)
                }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return JSONNode(value: .string(try parseString()), line: startLine)
        default:
            if consume("true") { return JSONNode(value: .bool(true), line: startLine) }
            if consume("false") { return JSONNode(value: .bool(false), line: startLine) }
            if consume("null") { return JSONNode(value: .null, line: startLine) }
            if consume("NaN") { return JSONNode(value: .number(.nan), line: startLine) }
            if consume("Infinity") { return JSONNode(value: .number(.infinity), line: startLine) }
            if consume("-Infinity") { return JSONNode(value: .number(-.infinity), line: startLine) }
            return JSONNode(value: .number(try parseNumber()), line: startLine)
        }
    }

    private mutating func consume(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard end - index >= count else { return false }
        let matches = literal.withUTF8Buffer { buffer in
            buffer.indices.allSatisfy { bytes[index + $0] == buffer[$0] }
        }
        if matches { index += count }
        return matches
    }

    private mutating func parseNumber() throws(SyntaxError) -> Double {
        let start = index
        while index < end && isNumberByte(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !text.isEmpty, let number = Double(text) else {
            index = start
            throw error(text.isEmpty ? "expected a value" : "\"\(text)\" is not a valid number")
        }
        return number
    }

    private func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        index += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard index < end else { throw error("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") { throw error("unterminated string (newline inside a string)") }
            if byte != UInt8(ascii: "\\") {
                utf8.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < end else { throw error("unterminated escape") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar), end - index >= 6,
                    bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                {
                    index += 2
                    let low = try parseHex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
            }
        }
    }

    private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
        guard end - index >= 4 else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}

/// Parses one HTTP/1.1 request (RFC 9112) from the bytes a connection has received so far.
///
/// The parser is strict where leniency could be abused and lenient where clients differ:
/// - up to `HTTPLimits.maximumHeaderBytes` for the request line and headers (431 beyond, 414
///   when the request line alone is too long), `maximumHeaderCount` fields (431);
/// - lines end with CRLF or a bare LF; empty lines before the request line are skipped;
/// - the request line is `METHOD SP /origin-form SP HTTP/1.x` (400 otherwise; 505 for another
///   HTTP version); the target is visible ASCII, percent-encoding must be valid UTF-8;
/// - header names are tokens with no space before the colon, folded lines and control
///   characters are refused (400: they are the usual request-smuggling tricks);
/// - the body length comes only from `Content-Length` (digits, one value; 413 beyond
///   `maximumBodyBytes`); `Transfer-Encoding` is refused with 411;
/// - `Connection: close` / `keep-alive`, with HTTP/1.1 defaulting to keep-alive and 1.0 to close.
/// It never traps: every index is checked, every number bounded.
enum HTTPRequestParser {
    /// The result of looking at a buffer.
    enum Outcome: Sendable {
        /// More bytes are needed.
        case incomplete
        /// A request, and how many bytes of the buffer it used.
        case request(HTTPRequest, consumed: Int)
        /// The bytes are not an acceptable request.
        case failure(HTTPError)
    }

    /// Parses the request at the start of `input` (which may hold more: pipelined requests).
    static func parse(_ input: ArraySlice<UInt8>, limits: HTTPLimits) -> Outcome {
        // The header block is searched in a copy of at most the bytes it may take (cheap), so a
        // large body or many pipelined requests are never copied for it.
        let window = limits.maximumHeaderBytes + 64
        let buffer = Array(input.prefix(window))
        var start = 0
        while start < buffer.count, buffer[start] == cr || buffer[start] == lf { start += 1 }
        guard start < buffer.count else {
            return buffer.count < window ? .incomplete : .failure(HTTPError(status: 400, message: "only empty lines, no request"))
        }
        guard let headerEnd = findHeaderEnd(buffer, from: start, limit: limits.maximumHeaderBytes) else {
            if buffer.count - start > limits.maximumHeaderBytes {
                let hasLine = buffer[start..<min(buffer.count, start + limits.maximumHeaderBytes)].contains(lf)
                return .failure(hasLine
                    ? HTTPError(status: 431, message: "the request line and headers exceed \(limits.maximumHeaderBytes) bytes")
                    : HTTPError(status: 414, message: "the request line exceeds \(limits.maximumHeaderBytes) bytes"))
            }
            return .incomplete
        }
        var lines = splitLines(buffer[start..<headerEnd.linesEnd])
        guard !lines.isEmpty else { return .failure(HTTPError(status: 400, message: "empty request")) }
        let requestLine = lines.removeFirst()
        var request: HTTPRequest
        switch parseRequestLine(requestLine) {
        case .success(let parsed): request = parsed
        case .failure(let error): return .failure(error)
        }
        guard lines.count <= limits.maximumHeaderCount else {
            return .failure(HTTPError(status: 431, message: "more than \(limits.maximumHeaderCount) header fields"))
        }
        for line in lines {
            switch parseHeader(line) {
            case .success(let field): request.headers.append(field)
            case .failure(let error): return .failure(error)
            }
        }
        if request.header("transfer-encoding") != nil {
            return .failure(HTTPError(status: 411, message: "Transfer-Encoding is not supported; send the body with a Content-Length"))
        }
        var length = 0
        let lengths = request.headers.filter { $0.name == "content-length" }.map(\.value)
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 18,
                  first.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let value = Int(first) else {
                return .failure(HTTPError(status: 400, message: "Content-Length must be one whole number of bytes"))
            }
            length = value
        }
        guard length <= limits.maximumBodyBytes else {
            return .failure(HTTPError(status: 413, message: "the body is \(length) bytes; at most \(limits.maximumBodyBytes) are accepted"))
        }
        let bodyStart = input.startIndex + headerEnd.bodyStart
        guard input.endIndex - bodyStart >= length else { return .incomplete }
        request.body = Array(input[bodyStart..<(bodyStart + length)])
        let tokens = (request.header("connection") ?? "").lowercased().split(separator: ",").map { $0.trimmingSpaces() }
        if tokens.contains("close") {
            request.keepAlive = false
        } else {
            request.keepAlive = request.version == "HTTP/1.1" || tokens.contains("keep-alive")
        }
        return .request(request, consumed: headerEnd.bodyStart + length)
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    /// The end of the header block: where its lines end and where the body starts.
    private static func findHeaderEnd(_ buffer: [UInt8], from start: Int, limit: Int) -> (linesEnd: Int, bodyStart: Int)? {
        let end = min(buffer.count, start + limit + 4)
        var index = start
        while index < end {
            if buffer[index] == lf {
                // LF LF or LF CR LF ends the headers.
                if index + 1 < buffer.count, buffer[index + 1] == lf { return (index, index + 2) }
                if index + 2 < buffer.count, buffer[index + 1] == cr, buffer[index + 2] == lf { return (index, index + 3) }
            }
            index += 1
        }
        return nil
    }

    private static func splitLines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        bytes.split(separator: lf, omittingEmptySubsequences: false).map { line in
            line.last == cr ? line.dropLast() : line
        }
    }

    private static func parseRequestLine(_ line: ArraySlice<UInt8>) -> Result<HTTPRequest, HTTPError> {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .failure(HTTPError(status: 400, message: "the request line must be 'METHOD /path HTTP/1.1'"))
        }
        guard parts[0].allSatisfy(isTokenByte) else {
            return .failure(HTTPError(status: 400, message: "the method is not a token"))
        }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            if version.hasPrefix("HTTP/"), version.count == 8 {
                return .failure(HTTPError(status: 505, message: "\(version) is not supported; use HTTP/1.1"))
            }
            return .failure(HTTPError(status: 400, message: "the request line must end with HTTP/1.1"))
        }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(HTTPError(status: 400, message: "the request target has spaces, control or non-ASCII characters; percent-encode them"))
        }
        let target = String(decoding: parts[1], as: UTF8.self)
        guard target.hasPrefix("/") else {
            return .failure(HTTPError(status: 400, message: "the request target must be a path starting with '/'"))
        }
        var pathPart = Substring(target)
        var queryPart: Substring = ""
        if let mark = target.firstIndex(of: "?") {
            pathPart = target[..<mark]
            queryPart = target[target.index(after: mark)...]
        }
        if let hash = queryPart.firstIndex(of: "#") { queryPart = queryPart[..<hash] }
        if let hash = pathPart.firstIndex(of: "#") { pathPart = pathPart[..<hash] }
        var segments: [String] = []
        for raw in pathPart.split(separator: "/") {
            guard let decoded = percentDecode(raw, plusIsSpace: false) else {
                return .failure(HTTPError(status: 400, message: "bad percent-encoding in the path"))
            }
            segments.append(decoded)
        }
        var query: [String: String] = [:]
        for pair in queryPart.split(separator: "&") {
            let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = percentDecode(nameAndValue[0], plusIsSpace: true),
                  let value = percentDecode(nameAndValue.count > 1 ? nameAndValue[1] : "", plusIsSpace: true) else {
                return .failure(HTTPError(status: 400, message: "bad percent-encoding in the query"))
            }
            query[name] = value
        }
        return .success(HTTPRequest(
            method: String(decoding: parts[0], as: UTF8.self), target: target, segments: segments, query: query,
            version: version, headers: [], body: [], keepAlive: false))
    }

    private static func parseHeader(_ line: ArraySlice<UInt8>) -> Result<(name: String, value: String), HTTPError> {
        guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else {
            return .failure(HTTPError(status: 400, message: "folded or empty header lines are not accepted"))
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            return .failure(HTTPError(status: 400, message: "a header line has no ':'"))
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            return .failure(HTTPError(status: 400, message: "a header name is empty or not a token (no spaces before ':')"))
        }
        let value = line[line.index(after: colon)...]
        guard value.allSatisfy({ $0 == UInt8(ascii: "\t") || ($0 >= 0x20 && $0 != 0x7F) }) else {
            return .failure(HTTPError(status: 400, message: "a header value has control characters"))
        }
        return .success((String(decoding: name, as: UTF8.self).lowercased(), String(decoding: value, as: UTF8.self).trimmingSpaces()))
    }

    /// RFC 9110 tchar.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    /// Decodes `%XY` escapes (and `+` as a space in queries); nil for a bad escape, invalid
    /// UTF-8 or a NUL.
    static func percentDecode(_ text: Substring, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else if plusIsSpace, byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        guard !bytes.contains(0) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// An HTTP response: a status, extra header fields and a body (JSON for every API answer).
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    var contentType = "application/json"

    /// A JSON answer.
    static func json(_ status: Int, _ value: JSON) -> HTTPResponse {
        HTTPResponse(status: status, body: value.bytes + [0x0A])
    }

    /// A JSON answer whose bytes are already encoded (a decision as published).
    static func json(_ status: Int, bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, body: bytes + [0x0A])
    }

    /// `{"error": {"status": 404, "message": "..."}}`.
    static func error(_ status: Int, _ message: String) -> HTTPResponse {
        json(status, .object([("error", .object([("status", .integer(status)), ("message", .string(message))]))]))
    }

    /// The response as sent: status line, `Content-Type`, `Content-Length`, `Connection`, the
    /// extra headers, the body (left out for HEAD, the length kept).
    func serialized(keepAlive: Bool, includeBody: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\nCache-Control: no-store\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + (includeBody ? body : [])
    }

    /// The reason phrase of the statuses the daemon sends.
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}

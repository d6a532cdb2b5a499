/// A parsed HTTP/1.x request.
struct HTTPRequest: Sendable {
    /// `GET`, `POST`, ... as sent (methods are case-sensitive).
    var method: String
    /// The request target as sent (`/runs/a/forecast?at=1000`).
    var target: String
    /// The path's segments, percent-decoded, empty segments dropped (`["runs", "a", "forecast"]`).
    var segments: [String]
    /// The query's parameters, percent-decoded (`+` is a space); a repeated name keeps the last.
    var query: [String: String]
    /// `HTTP/1.1` or `HTTP/1.0`.
    var version: String
    /// Header fields in order, names lowercased, values trimmed.
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// Whether the client wants the connection kept open after the response.
    var keepAlive: Bool

    /// The first value of header `name` (lowercase).
    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }
}

/// A request the server refuses, with the status and the message of its JSON error body.
struct HTTPError: Error, Sendable, Equatable {
    var status: Int
    var message: String
}

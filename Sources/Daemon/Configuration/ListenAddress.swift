/// Where the HTTP API listens: a Unix socket (the default; mode 0600, so only the daemon's user
/// can talk to it) or a TCP port on the loopback interface.
public enum ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// A Unix domain socket at this path.
    case unix(path: String)
    /// TCP on 127.0.0.1 at this port (0: any free port).
    case tcp(port: Int)

    /// The longest Unix socket path Linux accepts (`sun_path` is 108 bytes with its NUL).
    public static let maximumUnixPathLength = 107

    /// Why a `--listen` value was refused.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The value as given.
        public var text: String
        /// What is wrong and what to write instead.
        public var reason: String
        /// `--listen 'x': reason`.
        public var description: String { "listen address '\(text)': \(reason)" }
    }

    /// Parses `unix:PATH` or `tcp:127.0.0.1:PORT` (`tcp:localhost:PORT` and `tcp:PORT` too).
    public static func parse(_ text: String) throws(ParseError) -> ListenAddress {
        func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else { throw fail("no socket path after 'unix:'; write unix:/path/to/api.sock") }
            guard path.utf8.count <= maximumUnixPathLength else {
                throw fail("the socket path is \(path.utf8.count) bytes, Linux allows \(maximumUnixPathLength); choose a shorter path")
            }
            guard !path.utf8.contains(0) else { throw fail("the socket path contains a NUL byte") }
            return .unix(path: path)
        }
        if text.hasPrefix("tcp:") {
            let rest = text.dropFirst(4)
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            let portText: Substring
            switch parts.count {
            case 1: portText = parts[0]
            case 2:
                guard parts[0] == "127.0.0.1" || parts[0] == "localhost" else {
                    throw fail("the API listens on loopback only; write tcp:127.0.0.1:PORT (got host '\(parts[0])')")
                }
                portText = parts[1]
            default: throw fail("write tcp:127.0.0.1:PORT")
            }
            guard let port = Int(portText), (0...65_535).contains(port) else {
                throw fail("'\(portText)' is not a port number from 0 to 65535")
            }
            return .tcp(port: port)
        }
        throw fail("write unix:PATH (a Unix socket, the default) or tcp:127.0.0.1:PORT")
    }

    /// `unix:PATH` or `tcp:127.0.0.1:PORT`.
    public var description: String {
        switch self {
        case .unix(let path): return "unix:\(path)"
        case .tcp(let port): return "tcp:127.0.0.1:\(port)"
        }
    }
}

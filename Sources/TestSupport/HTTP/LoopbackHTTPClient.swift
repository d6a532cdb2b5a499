import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a Unix socket or loopback TCP, for the daemon's tests and
/// benchmarks: one connection, kept alive, blocking with a receive timeout. It can also send raw
/// bytes (malformed requests) and read whatever comes back.
public final class LoopbackHTTPClient {
    /// Where to connect.
    public enum Address: Sendable {
        case unix(String)
        case tcp(port: Int)
    }

    /// A response: status, headers (names lowercased) and body.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]
        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body parsed as a JSON object (nil if it is not one).
        public var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    /// A connection or protocol failure.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private let address: Address
    private let timeout: Double
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    /// A client; nothing is connected until the first request.
    public init(_ address: Address, timeout: Double = 10) {
        self.address = address
        self.timeout = timeout
    }

    deinit { disconnect() }

    /// Closes the connection (the next request opens a new one).
    public func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
        buffer = []
    }

    /// Sends a request and reads its response; reconnects once if a kept-alive connection was
    /// closed by the server.
    public func request(_ method: String, _ path: String, body: [UInt8] = [], headers: [String: String] = [:]) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + body
        let reused = fd >= 0
        do {
            try send(bytes)
            return try readResponse(method: method)
        } catch {
            guard reused else { throw error }
            disconnect()
            try send(bytes)
            return try readResponse(method: method)
        }
    }

    /// Sends `bytes` as they are on a new connection, optionally shuts the sending side, and
    /// returns everything the server sends until it closes; throws if it neither answers nor
    /// closes within the timeout.
    public func raw(_ bytes: [UInt8], shutdownAfterSending: Bool = true) throws -> [UInt8] {
        disconnect()
        try send(bytes)
        if shutdownAfterSending { shutdown(fd, Int32(SHUT_WR)) }
        var received: [UInt8] = []
        while let chunk = try receive(), !chunk.isEmpty { received += chunk }
        disconnect()
        return received
    }

    /// Sends `bytes` one at a time, `interval` seconds apart (a slowloris client), until the
    /// server answers or closes; returns everything the server sent until it closed.
    public func trickle(_ bytes: [UInt8], every interval: Double) throws -> [UInt8] {
        disconnect()
        try connect()
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        for byte in bytes {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 { received += chunk[0..<count] }
            if count >= 0 { break }
            var single = byte
            guard Glibc.send(fd, &single, 1, Int32(MSG_NOSIGNAL)) == 1 else { break }
            Thread.sleep(forTimeInterval: interval)
        }
        while let more = try receive(), !more.isEmpty { received += more }
        disconnect()
        return received
    }

    /// Opens a connection now (for tests that hold connections open).
    public func connect() throws {
        guard fd < 0 else { return }
        switch address {
        case .unix(let path):
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw Failure(description: "socket path too long") }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard result == 0 else { throw failure("connect \(path)") }
        case .tcp(let port):
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else { throw failure("connect 127.0.0.1:\(port)") }
            var yes: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    private func send(_ bytes: [UInt8]) throws {
        try connect()
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw failure("send") }
            sent += count
        }
    }

    /// Receives a chunk; [] at the end of the stream; throws on a timeout or error.
    private func receive() throws -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure(description: "no answer within \(timeout) s") }
            throw failure("recv")
        }
        return Array(chunk[0..<count])
    }

    private func readResponse(method: String) throws -> Response {
        while true {
            if let end = headerEnd() {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                let lines = head.components(separatedBy: "\r\n")
                let parts = lines[0].split(separator: " ")
                guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: "bad status line '\(lines[0])'") }
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = method == "HEAD" ? 0 : Int(headers["content-length"] ?? "0") ?? 0
                while buffer.count < end + 4 + length {
                    guard let chunk = try receive(), !chunk.isEmpty else { throw Failure(description: "connection closed mid-body") }
                    buffer += chunk
                }
                let body = Array(buffer[(end + 4)..<(end + 4 + length)])
                buffer.removeFirst(end + 4 + length)
                if headers["connection"] == "close" { disconnect() }
                return Response(status: status, headers: headers, body: body)
            }
            guard let chunk = try receive(), !chunk.isEmpty else { throw Failure(description: "connection closed before a response") }
            buffer += chunk
        }
    }

    private func headerEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func failure(_ what: String) -> Failure {
        Failure(description: "\(what): \(String(cString: strerror(errno)))")
    }
}

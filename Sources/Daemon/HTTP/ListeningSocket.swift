import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bound, listening, non-blocking socket: a Unix socket (mode 0600) or TCP on 127.0.0.1.
struct ListeningSocket: Sendable {
    let fd: Int32
    let address: ListenAddress

    /// Why the socket could not be opened, with what to do.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// Connections waiting to be accepted.
    static let backlog: Int32 = 512

    /// Opens the socket. A stale Unix socket file (no daemon answers on it) is removed first; a
    /// live one, or a path that is not a socket, is an error.
    static func open(_ address: ListenAddress) throws(Failure) -> ListeningSocket {
        switch address {
        case .unix(let path): return try openUnix(path)
        case .tcp(let port): return try openTCP(port)
        }
    }

    /// Closes the socket (and removes a Unix socket's file).
    func close() {
        _ = Glibc.close(fd)
        if case .unix(let path) = address { unlink(path) }
    }

    private static func openUnix(_ path: String) throws(Failure) -> ListeningSocket {
        var status = stat()
        if lstat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFSOCK else {
                throw Failure(description: "\(path) exists and is not a socket; remove it or choose another --listen unix:PATH")
            }
            if canConnect(path) {
                throw Failure(description: "\(path): another process (a running daemon?) answers on this socket; stop it or choose another --listen unix:PATH")
            }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure("socket", path) }
        var address = unixAddress(path)
        // Create the socket file with mode 0600 (umask applies to bind), then make sure of it.
        let previousMask = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(previousMask)
        guard bound == 0 else {
            let error = failure("bind", path)
            _ = Glibc.close(fd)
            throw error
        }
        chmod(path, 0o600)
        guard listen(fd, backlog) == 0 else {
            let error = failure("listen", path)
            _ = Glibc.close(fd)
            unlink(path)
            throw error
        }
        return ListeningSocket(fd: fd, address: .unix(path: path))
    }

    private static func openTCP(_ port: Int) throws(Failure) -> ListeningSocket {
        guard (0...65_535).contains(port) else { throw Failure(description: "tcp port \(port) is not from 0 to 65535") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure("socket", "tcp:127.0.0.1:\(port)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let error = failure(bound == 0 ? "listen" : "bind", "tcp:127.0.0.1:\(port)")
            _ = Glibc.close(fd)
            throw error
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return ListeningSocket(fd: fd, address: .tcp(port: Int(UInt16(bigEndian: actual.sin_port))))
    }

    /// A `sockaddr_un` for `path` (checked by `ListenAddress.parse` to fit).
    static func unixAddress(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8.prefix(ListenAddress.maximumUnixPathLength))
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
            raw[bytes.count] = 0
        }
        return address
    }

    private static func canConnect(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { _ = Glibc.close(fd) }
        var address = unixAddress(path)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    private static func failure(_ call: String, _ what: String) -> Failure {
        let reason = String(cString: strerror(errno))
        var hint = ""
        if errno == EADDRINUSE { hint = "; another process uses it: choose another port" }
        if errno == EACCES { hint = "; check the folder's permissions" }
        return Failure(description: "\(what): \(call) failed: \(reason)\(hint)")
    }
}

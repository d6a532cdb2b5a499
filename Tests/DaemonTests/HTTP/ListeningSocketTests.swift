@testable import Daemon
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

struct ListeningSocketTests {
    /// A socket file left by a killed daemon (bound, never unlinked) is replaced; one a live
    /// process answers on, or a file that is not a socket, is refused.
    @Test func staleSocketsAreReplacedLiveOnesAndOtherFilesRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("api.sock").path

        // A stale socket: bound, then its descriptor closed without unlink (as after kill -9).
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = ListeningSocket.unixAddress(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        close(stale)
        let live = try ListeningSocket.open(.unix(path: path))
        var status = stat()
        #expect(lstat(path, &status) == 0 && status.st_mode & 0o777 == 0o600)

        // A second daemon on the same socket is refused while the first listens.
        do {
            _ = try ListeningSocket.open(.unix(path: path))
            Issue.record("a live socket was taken over")
        } catch {
            #expect(error.description.contains("another process"))
        }
        live.close()
        #expect(!FileManager.default.fileExists(atPath: path))

        try folder.write("api.sock", "not a socket")
        do {
            _ = try ListeningSocket.open(.unix(path: path))
            Issue.record("a regular file was replaced")
        } catch {
            #expect(error.description.contains("is not a socket"))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not a socket")
    }

    @Test func tcpPortZeroGetsAFreePortOnLoopback() throws {
        let socket = try ListeningSocket.open(.tcp(port: 0))
        defer { socket.close() }
        guard case .tcp(let port) = socket.address else {
            Issue.record("not a TCP address")
            return
        }
        #expect(port > 0)
        #expect(throws: ListeningSocket.Failure.self) { try ListeningSocket.open(.tcp(port: 70_000)) }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on POSIX sockets: one thread runs a `poll(2)` loop over the listening
/// socket and every connection (non-blocking), so a slow client never holds up another.
///
/// Each request is parsed by `HTTPRequestParser` within `HTTPLimits` and answered by `handler`
/// on the loop's thread (handlers must be quick: the API's read from memory). Keep-alive and
/// pipelined requests are answered in order; malformed requests get a JSON 4xx and the
/// connection is closed; a request that does not arrive within `requestTimeout` of its first
/// byte gets 408; idle connections are closed after `idleTimeout`. Writes use `MSG_NOSIGNAL`,
/// so a client that hangs up cannot kill the process with SIGPIPE.
final class HTTPServer: @unchecked Sendable {
    typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    private let listener: ListeningSocket
    private let limits: HTTPLimits
    private let handler: Handler
    private var connections: [Int32: HTTPConnection] = [:]
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let lock = NSLock()
    private var stopping = false
    /// After accept(2) fails for lack of file descriptors, the listener rests a moment instead
    /// of waking poll(2) in a busy loop.
    private var acceptPausedUntil = 0.0
    private var served = 0
    private var refused = 0

    /// The address actually listened on (a TCP port 0 becomes the port chosen).
    var address: ListenAddress { listener.address }

    /// Binds the listening socket (so that errors show before the daemon starts its work).
    init(address: ListenAddress, limits: HTTPLimits, handler: @escaping Handler) throws(ListeningSocket.Failure) {
        listener = try ListeningSocket.open(address)
        self.limits = limits
        self.handler = handler
        guard let ends = makePipe(nonBlocking: true) else {
            listener.close()
            throw ListeningSocket.Failure(description: "cannot create the server's wake-up pipe: \(String(cString: strerror(errno)))")
        }
        (wakeRead, wakeWrite) = ends
    }

    /// Requests answered and requests refused as malformed so far.
    var counts: (served: Int, refused: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (served, refused)
    }

    /// Runs the loop on the calling thread until `stop()`; then closes every socket.
    func run() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !isStopping {
            let now = Self.now()
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let accepting = connections.count < limits.maximumConnections && now >= acceptPausedUntil
            if accepting { fds.append(pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)) }
            let order = Array(connections.keys)
            for fd in order {
                let events = connections[fd]?.isWriting == true ? POLLOUT : POLLIN
                fds.append(pollfd(fd: fd, events: Int16(events), revents: 0))
            }
            let ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds(now: now))
            if ready < 0, errno != EINTR { break }
            if isStopping { break }
            if fds[0].revents != 0 { drainWakePipe() }
            var index = 1
            if accepting {
                if fds[1].revents != 0 { acceptConnections() }
                index = 2
            }
            for fd in order {
                let revents = Int32(fds[index].revents)
                index += 1
                guard revents != 0, let connection = connections[fd] else { continue }
                if revents & (POLLERR | POLLNVAL) != 0 {
                    close(connection)
                    continue
                }
                if revents & POLLOUT != 0 {
                    flush(connection)
                    process(connection)
                }
                if revents & (POLLIN | POLLHUP) != 0, !connection.isClosed, !connection.isWriting {
                    receive(connection, buffer: &buffer)
                }
            }
            enforceDeadlines(now: Self.now())
        }
        for connection in Array(connections.values) { close(connection) }
        listener.close()
        _ = Glibc.close(wakeRead)
        _ = Glibc.close(wakeWrite)
    }

    /// Stops the loop (from any thread): no more connections are accepted, open ones are closed.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Until the nearest deadline, at most a second.
    private func timeoutMilliseconds(now: Double) -> Int32 {
        var deadline = now + 1
        for connection in connections.values {
            if let started = connection.requestStarted { deadline = min(deadline, started + limits.requestTimeout) }
            if let started = connection.writeStarted { deadline = min(deadline, started + limits.writeTimeout) }
            deadline = min(deadline, connection.lastActivity + limits.idleTimeout)
        }
        return Int32(max(0, min(1_000, ((deadline - now) * 1_000).rounded(.up))))
    }

    private func drainWakePipe() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &bytes, bytes.count) > 0 {}
    }

    private func acceptConnections() {
        while connections.count < limits.maximumConnections {
            // accept4 is not visible from Swift's Glibc module: set the flags with fcntl.
            let fd = accept(listener.fd, nil, nil)
            guard fd >= 0 else {
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM { acceptPausedUntil = Self.now() + 0.1 }
                return
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            connections[fd] = HTTPConnection(fd: fd, now: Self.now())
        }
    }

    /// Reads what is available, then answers the complete requests.
    private func receive(_ connection: HTTPConnection, buffer: inout [UInt8]) {
        let cap = limits.maximumHeaderBytes + limits.maximumBodyBytes + buffer.count
        while connection.pending.count < cap {
            let count = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                if connection.pending.isEmpty { connection.requestStarted = Self.now() }
                connection.receive(buffer[0..<count])
                connection.lastActivity = Self.now()
                continue
            }
            if count == 0 {
                connection.peerClosed = true
            } else if errno == EINTR {
                continue
            } else if errno != EAGAIN && errno != EWOULDBLOCK {
                close(connection)
                return
            }
            break
        }
        process(connection)
    }

    /// Answers the requests received, in order, until a response cannot be written at once
    /// (the rest waits for POLLOUT) or the connection closes. A loop, not a recursion: a long
    /// pipeline of requests cannot exhaust the stack.
    private func process(_ connection: HTTPConnection) {
        while !connection.isClosed, !connection.isWriting, !connection.closeAfterWrite {
            let pending = connection.pending
            guard !pending.isEmpty else {
                connection.requestStarted = nil
                if connection.peerClosed { close(connection) }
                return
            }
            if connection.requestStarted == nil { connection.requestStarted = Self.now() }
            switch HTTPRequestParser.parse(pending, limits: limits) {
            case .incomplete:
                if connection.peerClosed { close(connection) }
                return
            case .failure(let error):
                count(refused: true)
                send(.error(error.status, error.message), to: connection, keepAlive: false, includeBody: true)
            case .request(let request, let consumed):
                connection.consume(consumed)
                connection.requestStarted = connection.pending.isEmpty ? nil : Self.now()
                connection.served += 1
                count(refused: false)
                let keepAlive = request.keepAlive && !connection.peerClosed
                    && connection.served < limits.maximumRequestsPerConnection && !isStopping
                send(handler(request), to: connection, keepAlive: keepAlive, includeBody: request.method != "HEAD")
            }
        }
    }

    private func count(refused isRefused: Bool) {
        lock.lock()
        if isRefused { refused += 1 } else { served += 1 }
        lock.unlock()
    }

    private func send(_ response: HTTPResponse, to connection: HTTPConnection, keepAlive: Bool, includeBody: Bool) {
        connection.output = response.serialized(keepAlive: keepAlive, includeBody: includeBody)
        connection.written = 0
        connection.writeStarted = Self.now()
        connection.closeAfterWrite = !keepAlive
        flush(connection)
    }

    /// Writes what the socket takes now; once the response is out, closes the connection if it
    /// was the last one (the caller goes on with the next request otherwise).
    private func flush(_ connection: HTTPConnection) {
        while connection.isWriting {
            let count = connection.output.withUnsafeBytes { raw in
                Glibc.send(connection.fd, raw.baseAddress! + connection.written, raw.count - connection.written, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                connection.written += count
                connection.lastActivity = Self.now()
                continue
            }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { return }
            close(connection)
            return
        }
        connection.output = []
        connection.written = 0
        connection.writeStarted = nil
        if connection.closeAfterWrite { close(connection) }
    }

    private func enforceDeadlines(now: Double) {
        for connection in Array(connections.values) {
            if let started = connection.writeStarted, now - started > limits.writeTimeout {
                close(connection)
            } else if !connection.isWriting, let started = connection.requestStarted, now - started > limits.requestTimeout {
                count(refused: true)
                send(.error(408, "the request did not arrive within \(JSON.format(limits.requestTimeout)) s"),
                     to: connection, keepAlive: false, includeBody: true)
            } else if !connection.isWriting, connection.pending.isEmpty, now - connection.lastActivity > limits.idleTimeout {
                close(connection)
            }
        }
    }

    private func close(_ connection: HTTPConnection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        connections[connection.fd] = nil
        _ = Glibc.close(connection.fd)
    }
}

/// One client connection of `HTTPServer`: what it sent that is not handled yet, the response
/// being written, and the times its deadlines count from.
final class HTTPConnection {
    let fd: Int32
    /// Received bytes; those before `inputStart` are answered already.
    private(set) var input: [UInt8] = []
    private(set) var inputStart = 0
    /// The response being written and how much of it is out.
    var output: [UInt8] = []
    var written = 0
    /// Close once `output` is written.
    var closeAfterWrite = false
    /// The peer shut its side down.
    var peerClosed = false
    /// When the first byte of the request in `input` arrived (the request deadline).
    var requestStarted: Double?
    /// When the current response started to be written (the write deadline).
    var writeStarted: Double?
    /// The last time the connection did anything (the idle deadline).
    var lastActivity: Double
    /// Requests answered so far.
    var served = 0

    /// Set when the server closed it.
    var isClosed = false

    init(fd: Int32, now: Double) {
        self.fd = fd
        lastActivity = now
    }

    /// Whether a response is waiting to be written.
    var isWriting: Bool { written < output.count }

    /// The received bytes not answered yet.
    var pending: ArraySlice<UInt8> { input[inputStart...] }

    /// Adds received bytes.
    func receive(_ bytes: ArraySlice<UInt8>) {
        input.append(contentsOf: bytes)
    }

    /// Drops `count` answered bytes (compacting now and then, so that a long pipeline costs
    /// linear time, not quadratic).
    func consume(_ count: Int) {
        inputStart = min(inputStart + count, input.count)
        if inputStart == input.count {
            input.removeAll(keepingCapacity: true)
            inputStart = 0
        } else if inputStart >= 64 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }
}

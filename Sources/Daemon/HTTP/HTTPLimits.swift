/// Limits that keep a client, slow or hostile, from holding the server's memory or time.
public struct HTTPLimits: Sendable, Equatable {
    /// The request line and headers together (431 beyond).
    public var maximumHeaderBytes = 8 * 1024
    /// Header fields per request (431 beyond).
    public var maximumHeaderCount = 100
    /// A request body (413 beyond).
    public var maximumBodyBytes = 1 << 20
    /// A request must arrive completely within this many seconds of its first byte (408 after):
    /// a client trickling a byte at a time (slowloris) is cut off.
    public var requestTimeout = 10.0
    /// A keep-alive connection with no request for this long is closed.
    public var idleTimeout = 30.0
    /// A response the client does not read within this long is dropped with its connection.
    public var writeTimeout = 10.0
    /// Open connections; more wait in the listen backlog.
    public var maximumConnections = 256
    /// Requests served on one keep-alive connection before it is closed.
    public var maximumRequestsPerConnection = 10_000

    /// The defaults.
    public init() {}
}

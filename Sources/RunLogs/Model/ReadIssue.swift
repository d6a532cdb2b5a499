/// A warning produced while reading a log: something was dropped, replaced or skipped, but the
/// rest of the log is usable. Errors (which stop the read) are the readers' `ReadError` types.
public struct ReadIssue: Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// NaN or infinite values were dropped (the rule: such a point is never used, never fatal).
        case nonFiniteValuesDropped
        /// A step was logged again (a resumed run); the later write replaced the earlier points.
        case resumedStepsReplaced
        /// A checkpoint's `trainer_state.json` could not be read; an older one was used instead.
        case checkpointSkipped
        /// A TensorBoard record failed its CRC and was skipped (`CorruptRecordPolicy.skip`).
        case corruptRecordSkipped
    }

    /// What happened.
    public var kind: Kind
    /// The metric concerned, if any.
    public var metric: String?
    /// Where it happened (all affected lines or offsets).
    public var locations: [LogLocation]
    /// A sentence a user can act on, naming the file and the positions.
    public var message: String

    /// Creates an issue.
    public init(kind: Kind, metric: String?, locations: [LogLocation], message: String) {
        self.kind = kind
        self.metric = metric
        self.locations = locations
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// An incomplete record at the end of a file (a line without its newline, a half-written
/// TensorBoard record). It is not an error: the writer is probably still writing it. A tail read
/// picks it up once it is complete.
public struct PendingTail: Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The byte offset where the incomplete record starts.
    public var offset: Int
    /// How many bytes of it are present.
    public var byteCount: Int

    /// Creates a pending-tail record.
    public init(file: String, offset: Int, byteCount: Int) {
        self.file = file
        self.offset = offset
        self.byteCount = byteCount
    }

    /// `file:byte 812: 17 bytes of an incomplete last record (still being written?)`.
    public var description: String {
        "\(file):byte \(offset): \(byteCount) bytes of an incomplete last record, ignored until it is complete"
    }
}

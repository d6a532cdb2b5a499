import Foundation

/// Where a command writes text: a file descriptor (the real stdout/stderr) or an in-memory buffer
/// (tests). Thread-safe, because sampler progress arrives from the chains' worker threads.
public final class TextOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    private let handle: FileHandle?
    /// Whether the output is an interactive terminal (progress is then updated in place).
    public let isTerminal: Bool

    /// An in-memory buffer; `isTerminal` lets tests exercise the terminal progress style.
    public init(isTerminal: Bool = false) {
        handle = nil
        self.isTerminal = isTerminal
    }

    /// Writes to a file descriptor (unbuffered: every `write` reaches the descriptor).
    public init(fileDescriptor: Int32) {
        handle = FileHandle(fileDescriptor: fileDescriptor, closeOnDealloc: false)
        isTerminal = isatty(fileDescriptor) == 1
    }

    /// The process's standard output.
    public static func standardOutput() -> TextOutput { TextOutput(fileDescriptor: STDOUT_FILENO) }
    /// The process's standard error.
    public static func standardError() -> TextOutput { TextOutput(fileDescriptor: STDERR_FILENO) }

    /// Writes `text` as is.
    public func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if let handle {
            handle.write(Data(text.utf8))
        } else {
            buffer += text
        }
    }

    /// Writes `text` and a newline.
    public func line(_ text: String = "") { write(text + "\n") }

    /// Everything written so far (buffers only; empty for file descriptors).
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }
}

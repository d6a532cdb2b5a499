import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that a reader (or a restart after `kill -9` or a power cut) sees either the
/// old content or the new, never a mix or a truncation:
///
/// 1. write the bytes to a temporary file in the same folder (`.tmp-NAME-PID-N`), `fsync` it;
/// 2. `rename` it over the destination (atomic within one file system);
/// 3. `fsync` the folder, so that the rename itself is on disk.
///
/// A crash between 1 and 2 leaves a temporary file behind; `removeTemporaries(in:)` deletes them
/// when the daemon starts.
enum AtomicFile {
    /// The prefix of temporary files; names starting with it are never runs or decisions.
    static let temporaryPrefix = ".tmp-"

    /// Why a write failed: the path, the system call and the system's reason.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var path: String
        var operation: String
        var reason: String
        var description: String { "\(path): \(operation) failed: \(reason)" }
    }

    private static let counter = Counter()

    /// Replaces `url`'s content with `bytes` atomically, and durably unless `durable` is false
    /// (then the fsyncs are skipped: a crash of the process still leaves the old or the new
    /// content, a power cut may leave the old one).
    static func write(_ bytes: [UInt8], to url: URL, durable: Bool = true) throws(Failure) {
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/" + temporaryPrefix + url.lastPathComponent + "-\(getpid())-\(counter.next())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(temporary, "open") }
        do throws(Failure) {
            try writeAll(bytes, to: fd, path: temporary)
            guard !durable || fsync(fd) == 0 else { throw failure(temporary, "fsync") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else {
            unlink(temporary)
            throw failure(temporary, "close")
        }
        guard rename(temporary, url.path) == 0 else {
            let error = failure(url.path, "rename")
            unlink(temporary)
            throw error
        }
        if durable { try syncDirectory(folder) }
    }

    /// Appends `bytes` to `url` (created if missing) and `fsync`s it before returning; for the
    /// points pushed over the API, which must survive a crash once acknowledged.
    static func appendDurably(_ bytes: [UInt8], to url: URL) throws(Failure) {
        let existed = FileManager.default.fileExists(atPath: url.path)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(url.path, "open") }
        defer { close(fd) }
        try writeAll(bytes, to: fd, path: url.path)
        guard fsync(fd) == 0 else { throw failure(url.path, "fsync") }
        if !existed { try syncDirectory(url.deletingLastPathComponent().path) }
    }

    /// Cuts an incomplete last line (bytes after the last newline) off `url`, so that the next
    /// append starts on a line of its own; a crash in the middle of an append leaves one. Returns
    /// how many bytes were cut.
    @discardableResult
    static func dropIncompleteLastLine(_ url: URL) throws(Failure) -> Int {
        let fd = open(url.path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return 0 }
            throw failure(url.path, "open")
        }
        defer { close(fd) }
        let size = Int(lseek(fd, 0, SEEK_END))
        guard size > 0 else { return 0 }
        var end = size
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while end > 0 {
            let start = max(0, end - chunk.count)
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, end - start, off_t(start)) }
            guard count == end - start else { throw failure(url.path, "pread") }
            if let newline = chunk[0..<count].lastIndex(of: 0x0A) {
                let keep = start + newline + 1
                guard keep < size else { return 0 }
                guard ftruncate(fd, off_t(keep)) == 0 else { throw failure(url.path, "ftruncate") }
                return size - keep
            }
            end = start
        }
        guard ftruncate(fd, 0) == 0 else { throw failure(url.path, "ftruncate") }
        return size
    }

    /// Deletes the temporary files a crash left in `folder`; returns how many.
    @discardableResult
    static func removeTemporaries(in folder: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var removed = 0
        for name in names where name.hasPrefix(temporaryPrefix) {
            if unlink(folder.appendingPathComponent(name).path) == 0 { removed += 1 }
        }
        return removed
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(Failure) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw failure(path, "write")
            }
            written += result
        }
    }

    private static func syncDirectory(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "open (folder)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(path, "fsync (folder)") }
    }

    private static func failure(_ path: String, _ operation: String) -> Failure {
        Failure(path: path, operation: operation, reason: String(cString: strerror(errno)))
    }

    /// A thread-safe counter, so that concurrent writers never share a temporary name.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}

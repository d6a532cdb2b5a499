import Foundation
import Testing

/// A fresh temporary directory per test, removed by `cleanUp()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("curvecast-runlogs-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` (sub-folders created) and returns its URL.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Array(text.utf8))
    }

    /// Writes `bytes` to `name` (sub-folders created) and returns its URL.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file
    }

    /// Appends `bytes` to `name`.
    func append(_ name: String, _ bytes: [UInt8]) throws {
        let handle = try FileHandle(forWritingTo: url.appendingPathComponent(name))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    /// Appends `text` to `name`.
    func append(_ name: String, _ text: String) throws {
        try append(name, Array(text.utf8))
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs `body`, expects it to throw an `E`, and checks that the message contains every part
/// (file name, line, field...). Returns the error for further checks.
@discardableResult
func expectError<E: Error & CustomStringConvertible>(
    _ errorType: E.Type, mentioning parts: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> E? {
    do {
        try body()
        Issue.record("expected \(E.self) mentioning \(parts), but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as E {
        for part in parts {
            #expect(
                error.description.contains(part), "message \"\(error.description)\" should mention \"\(part)\"",
                sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("expected \(E.self), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

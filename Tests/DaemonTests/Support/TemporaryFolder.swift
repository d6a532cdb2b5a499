import Foundation

/// A fresh folder under /tmp with a short path (Unix socket paths must stay under 108 bytes),
/// removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = URL(fileURLWithPath: "/tmp/cw-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the folder.
    func path(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    /// Writes `text` to `relative` (creating folders).
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL {
        let file = path(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    /// Appends `text` to `relative`.
    func append(_ relative: String, _ text: String) throws {
        let handle = try FileHandle(forWritingTo: path(relative))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// The names in `relative`.
    func list(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(relative).path)) ?? []).sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

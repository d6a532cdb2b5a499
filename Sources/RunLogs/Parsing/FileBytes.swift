import Foundation

/// Reading files as bytes, with the error as a plain sentence for the readers' `ReadError`s.
enum FileBytes {
    /// The whole file, or a sentence saying why it could not be read.
    static func read(_ url: URL) -> Result<[UInt8], FileProblem> {
        read(url, from: 0)
    }

    /// The bytes of `url` from `offset` to the end.
    static func read(_ url: URL, from offset: Int) -> Result<[UInt8], FileProblem> {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            if offset > 0 { try handle.seek(toOffset: UInt64(offset)) }
            let data = try handle.readToEnd() ?? Data()
            return .success([UInt8](data))
        } catch {
            return .failure(FileProblem(reason: describe(error, url: url)))
        }
    }

    /// The size of `url` in bytes.
    static func size(_ url: URL) -> Result<Int, FileProblem> {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            return .success((attributes[.size] as? NSNumber)?.intValue ?? 0)
        } catch {
            return .failure(FileProblem(reason: describe(error, url: url)))
        }
    }

    private static func describe(_ error: any Error, url: URL) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            return "file does not exist; check the path"
        }
        if isDirectory.boolValue { return "is a directory, not a file" }
        return "cannot be read (\(error.localizedDescription)); check permissions"
    }
}

/// Why a file could not be read.
struct FileProblem: Error {
    var reason: String
}

/// Parses a CSV/JSON cell as a number. Surrounding spaces are ignored; `nan`, `inf`, `-inf`,
/// `infinity` (any case) parse as non-finite values, which the readers then drop with a warning.
func parseNumber(_ text: some StringProtocol) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { return nil }
    return Double(trimmed)
}

/// Quotes a cell for an error message, shortened if long.
func quoteCell(_ text: String) -> String {
    let shown = text.count > 40 ? String(text.prefix(40)) + "..." : text
    return "\"\(shown)\""
}

extension FileBytes {
    /// Up to `count` bytes of `url` from its start.
    static func readPrefix(_ url: URL, count: Int) -> Result<[UInt8], FileProblem> {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let data = try handle.read(upToCount: count) ?? Data()
            return .success([UInt8](data))
        } catch {
            return .failure(FileProblem(reason: "cannot be read (\(error.localizedDescription)); check permissions"))
        }
    }
}

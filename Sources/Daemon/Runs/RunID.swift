/// Run ids: the names that appear in the API's paths and the state folder's file names.
///
/// An id is 1 to 128 characters from `A-Z a-z 0-9 . _ -`, not starting with `.`. A run found in
/// the runs folder is named after its file without the extension (`runs/lr-3e-4.csv` ->
/// `lr-3e-4`) or after its directory (`runs/trial-7/` -> `trial-7`); other characters become `_`.
/// When two entries would get the same id (`a.csv` and `a.jsonl`), the one found later is named
/// with its extension (`a.jsonl`), and the daemon remembers the mapping across restarts.
enum RunID {
    static let maximumLength = 128

    /// Whether `text` is a valid id.
    static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= maximumLength, text.first != "." else { return false }
        return text.utf8.allSatisfy(isAllowed)
    }

    /// The id for a runs-folder entry named `name` (a file's extension is dropped unless
    /// `keepExtension`).
    static func make(fromEntry name: String, isDirectory: Bool, keepExtension: Bool = false) -> String {
        var stem = Substring(name)
        if !isDirectory, !keepExtension, let dot = name.lastIndex(of: "."), dot != name.startIndex {
            stem = name[..<dot]
        }
        var bytes = stem.utf8.map { isAllowed($0) ? $0 : UInt8(ascii: "_") }
        if bytes.first == UInt8(ascii: ".") { bytes[0] = UInt8(ascii: "_") }
        if bytes.isEmpty { bytes = [UInt8(ascii: "_")] }
        return String(decoding: bytes.prefix(maximumLength), as: UTF8.self)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

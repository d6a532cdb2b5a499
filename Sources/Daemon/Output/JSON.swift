/// A JSON value with ordered object members, written compactly as UTF-8: the daemon's decision
/// files and API responses read in a fixed, sensible order (`schema_version` and `run` first).
/// Non-finite numbers are written as `null`.
public indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])
    /// Text that is already JSON (a published decision, embedded as written).
    case encoded([UInt8])

    /// `.number(x)`, or `.null` for nil.
    public static func number(_ value: Double?) -> JSON { value.map(JSON.number) ?? .null }
    /// `.string(s)`, or `.null` for nil.
    public static func string(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }

    /// The compact UTF-8 text.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        append(to: &out)
        return out
    }

    /// The compact text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private func append(to out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .integer(let value): out += Array(String(value).utf8)
        case .number(let value): out += Array(Self.format(value).utf8)
        case .string(let text): Self.appendQuoted(text, to: &out)
        case .encoded(let bytes): out += bytes
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.append(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.appendQuoted(member.0, to: &out)
                out.append(UInt8(ascii: ":"))
                member.1.append(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Swift's shortest round-trip text (`0.1`, `1e-05`), whole numbers below 2^53 without
    /// `.0`, and `null` for NaN and infinities (JSON has no such numbers).
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return String(value)
    }

    /// Escapes `"`, `\` and the control characters (RFC 8259 section 7); other bytes of the
    /// (always valid) UTF-8 pass through.
    private static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out += [UInt8(ascii: "\\"), byte]
            } else if byte == 0x0A {
                out += Array("\\n".utf8)
            } else if byte < 0x20 {
                out += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            } else {
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

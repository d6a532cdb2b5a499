/// A minimal protobuf wire-format reader: enough to walk TensorBoard's `Event` messages and to
/// skip every field it does not need (wire types 0 varint, 1 fixed64, 2 length-delimited,
/// 5 fixed32; the deprecated group types 3/4 are rejected).
struct ProtobufReader {
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    struct Malformed: Error {
        var message: String
    }

    private let bytes: [UInt8]
    private(set) var index: Int
    private let end: Int

    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { index >= end }

    mutating func readVarint() throws(Malformed) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < end else { throw Malformed(message: "truncated varint") }
            guard shift < 64 else { throw Malformed(message: "varint longer than 10 bytes") }
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// The next field's number and wire type.
    mutating func readTag() throws(Malformed) -> (field: UInt64, wireType: WireType) {
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw Malformed(message: "unsupported wire type \(key & 7) for field \(key >> 3)")
        }
        guard key >> 3 != 0 else { throw Malformed(message: "field number 0") }
        return (key >> 3, wireType)
    }

    mutating func readFixed64() throws(Malformed) -> UInt64 {
        guard end - index >= 8 else { throw Malformed(message: "truncated fixed64") }
        var value: UInt64 = 0
        for shift in 0..<8 { value |= UInt64(bytes[index + shift]) << (8 * UInt64(shift)) }
        index += 8
        return value
    }

    mutating func readFixed32() throws(Malformed) -> UInt32 {
        guard end - index >= 4 else { throw Malformed(message: "truncated fixed32") }
        var value: UInt32 = 0
        for shift in 0..<4 { value |= UInt32(bytes[index + shift]) << (8 * UInt32(shift)) }
        index += 4
        return value
    }

    /// The byte range of a length-delimited field's payload (advances past it).
    mutating func readLengthDelimited() throws(Malformed) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - index) else { throw Malformed(message: "length-delimited field runs past its message") }
        let range = index..<(index + Int(length))
        index += Int(length)
        return range
    }

    mutating func skip(_ wireType: WireType) throws(Malformed) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try readFixed32()
        }
    }
}

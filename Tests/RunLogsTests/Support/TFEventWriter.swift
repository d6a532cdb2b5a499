import RunLogs

/// Writes TensorBoard event files byte by byte, independently of the reader: protobuf encoding
/// by hand and TFRecord framing with masked CRC-32C (CRC32C itself is checked against
/// published check values in CRC32CTests).
enum TFEventWriter {
    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }

    static func key(_ field: UInt64, _ wireType: UInt64) -> [UInt8] { varint(field << 3 | wireType) }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func lengthDelimited(_ field: UInt64, _ payload: [UInt8]) -> [UInt8] {
        key(field, 2) + varint(UInt64(payload.count)) + payload
    }

    /// How a scalar is stored in a Summary.Value.
    enum Encoding {
        case simpleValue
        case tensorContentFloat
        case tensorContentDouble
        case floatValPacked
        case floatValUnpacked
        case doubleValPacked
    }

    static func summaryValue(tag: String, value: Double, encoding: Encoding) -> [UInt8] {
        var out = lengthDelimited(1, Array(tag.utf8))
        // metadata (field 9): plugin_data { plugin_name: "scalars" }, to be skipped by the reader.
        out += lengthDelimited(9, lengthDelimited(1, lengthDelimited(1, Array("scalars".utf8))))
        let shape = lengthDelimited(2, [])  // tensor_shape {} (a scalar)
        switch encoding {
        case .simpleValue:
            out += key(2, 5) + littleEndian(Float(value).bitPattern)
        case .tensorContentFloat:
            out += lengthDelimited(8, key(1, 0) + varint(1) + shape + lengthDelimited(4, littleEndian(Float(value).bitPattern)))
        case .tensorContentDouble:
            out += lengthDelimited(8, key(1, 0) + varint(2) + shape + lengthDelimited(4, littleEndian(value.bitPattern)))
        case .floatValPacked:
            out += lengthDelimited(8, key(1, 0) + varint(1) + shape + lengthDelimited(5, littleEndian(Float(value).bitPattern)))
        case .floatValUnpacked:
            out += lengthDelimited(8, key(1, 0) + varint(1) + shape + key(5, 5) + littleEndian(Float(value).bitPattern))
        case .doubleValPacked:
            out += lengthDelimited(8, key(1, 0) + varint(2) + shape + lengthDelimited(6, littleEndian(value.bitPattern)))
        }
        return out
    }

    static func event(wallTime: Double, step: Int64, scalars: [(String, Double)], encoding: Encoding = .simpleValue) -> [UInt8] {
        var out = key(1, 1) + littleEndian(wallTime.bitPattern) + key(2, 0) + varint(UInt64(bitPattern: step))
        var summary: [UInt8] = []
        for (tag, value) in scalars { summary += lengthDelimited(1, summaryValue(tag: tag, value: value, encoding: encoding)) }
        out += lengthDelimited(5, summary)
        return out
    }

    static func fileVersionEvent(wallTime: Double) -> [UInt8] {
        key(1, 1) + littleEndian(wallTime.bitPattern) + lengthDelimited(3, Array("brain.Event:2".utf8))
    }

    /// An event that is not a summary (a log_message, field 6), to be skipped.
    static func logMessageEvent(wallTime: Double, step: Int64) -> [UInt8] {
        key(1, 1) + littleEndian(wallTime.bitPattern) + key(2, 0) + varint(UInt64(step))
            + lengthDelimited(6, key(1, 0) + varint(20) + lengthDelimited(2, Array("hello".utf8)))
    }

    /// TFRecord framing.
    static func record(_ data: [UInt8]) -> [UInt8] {
        let length = littleEndian(UInt64(data.count))
        return length + littleEndian(CRC32C.maskedChecksum(length)) + data + littleEndian(CRC32C.maskedChecksum(data))
    }

    /// A whole event file: the file_version record, then one record per (step, scalars).
    static func file(
        start wallTime: Double, steps: [(Int64, [(String, Double)])], encoding: Encoding = .simpleValue
    ) -> [UInt8] {
        var out = record(fileVersionEvent(wallTime: wallTime))
        for (index, (step, scalars)) in steps.enumerated() {
            out += record(event(wallTime: wallTime + Double(index + 1), step: step, scalars: scalars, encoding: encoding))
        }
        return out
    }
}

/// Decodes the scalar content of TensorBoard `Event` protos by hand.
///
/// Field numbers (tensorboard/compat/proto/event.proto, summary.proto, tensor.proto):
/// ```
/// Event       { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
/// Summary     { repeated Value value = 1; }
/// Value       { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; }
/// TensorProto { DataType dtype = 1; TensorShapeProto tensor_shape = 2; bytes tensor_content = 4;
///               repeated float float_val = 5; repeated double double_val = 6; }   // DT_FLOAT = 1, DT_DOUBLE = 2
/// ```
/// Every other field is skipped by its wire type. A value is a scalar when it has
/// `simple_value` (TF1 style, `tensorboardX`, PyTorch's `SummaryWriter`) or a float/double tensor
/// holding exactly one element (TF2 `tf.summary.scalar`); images, histograms, text and the
/// like are ignored.
enum EventDecoder {
    struct Event {
        var wallTime: Double = 0
        var step: Int64 = 0
        var scalars: [(tag: String, value: Double)] = []
    }

    static func decode(_ bytes: [UInt8], range: Range<Int>) throws(ProtobufReader.Malformed) -> Event {
        var reader = ProtobufReader(bytes, range: range)
        var event = Event()
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .fixed64): event.wallTime = Double(bitPattern: try reader.readFixed64())
            case (2, .varint): event.step = Int64(bitPattern: try reader.readVarint())
            case (5, .lengthDelimited): try decodeSummary(bytes, range: try reader.readLengthDelimited(), into: &event)
            default: try reader.skip(wireType)
            }
        }
        return event
    }

    private static func decodeSummary(_ bytes: [UInt8], range: Range<Int>, into event: inout Event) throws(ProtobufReader.Malformed) {
        var reader = ProtobufReader(bytes, range: range)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            if field == 1, wireType == .lengthDelimited {
                if let scalar = try decodeValue(bytes, range: try reader.readLengthDelimited()) {
                    event.scalars.append(scalar)
                }
            } else {
                try reader.skip(wireType)
            }
        }
    }

    private static func decodeValue(_ bytes: [UInt8], range: Range<Int>) throws(ProtobufReader.Malformed) -> (tag: String, value: Double)? {
        var reader = ProtobufReader(bytes, range: range)
        var tag: String?
        var value: Double?
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited):
                tag = String(decoding: bytes[try reader.readLengthDelimited()], as: UTF8.self)
            case (2, .fixed32):
                value = Double(Float(bitPattern: try reader.readFixed32()))
            case (8, .lengthDelimited):
                value = try decodeScalarTensor(bytes, range: try reader.readLengthDelimited()) ?? value
            default:
                try reader.skip(wireType)
            }
        }
        guard let tag, let value else { return nil }
        return (tag, value)
    }

    /// DataType enum values from types.proto.
    private static let dtFloat: UInt64 = 1
    private static let dtDouble: UInt64 = 2

    private static func decodeScalarTensor(_ bytes: [UInt8], range: Range<Int>) throws(ProtobufReader.Malformed) -> Double? {
        var reader = ProtobufReader(bytes, range: range)
        var dtype: UInt64 = 0
        var content: Range<Int>?
        var values: [Double] = []
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .varint): dtype = try reader.readVarint()
            case (4, .lengthDelimited): content = try reader.readLengthDelimited()
            case (5, .fixed32): values.append(Double(Float(bitPattern: try reader.readFixed32())))
            case (5, .lengthDelimited):  // packed floats
                var packed = ProtobufReader(bytes, range: try reader.readLengthDelimited())
                while !packed.isAtEnd { values.append(Double(Float(bitPattern: try packed.readFixed32()))) }
            case (6, .fixed64): values.append(Double(bitPattern: try reader.readFixed64()))
            case (6, .lengthDelimited):  // packed doubles
                var packed = ProtobufReader(bytes, range: try reader.readLengthDelimited())
                while !packed.isAtEnd { values.append(Double(bitPattern: try packed.readFixed64())) }
            default: try reader.skip(wireType)
            }
        }
        if let content, !content.isEmpty {
            var raw = ProtobufReader(bytes, range: content)
            switch (dtype, content.count) {
            case (dtFloat, 4): return Double(Float(bitPattern: try raw.readFixed32()))
            case (dtDouble, 8): return Double(bitPattern: try raw.readFixed64())
            default: return nil
            }
        }
        guard dtype == dtFloat || dtype == dtDouble, values.count == 1 else { return nil }
        return values[0]
    }
}

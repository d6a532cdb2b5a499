/// The incremental core of `TensorBoardReader`, shared with `TailReader`: walks TFRecord
/// framing from a record boundary, checks both CRCs, decodes events, and stops before an
/// incomplete last record (pending).
///
/// A record is:
/// ```
/// uint64 length (little-endian) | uint32 masked_crc32c(length bytes) | data[length] | uint32 masked_crc32c(data)
/// ```
struct TensorBoardDecoder: Sendable {
    typealias ReadError = TensorBoardReader.ReadError
    var file: String
    let policy: TensorBoardReader.CorruptRecordPolicy
    /// The tag chosen as the learning rate (the first LR-looking tag seen).
    var learningRateTag: String?
    /// The wall time of the first event decoded.
    private(set) var firstWallTime: Double?

    static let headerSize = 12
    static let footerSize = 4

    init(file: String, policy: TensorBoardReader.CorruptRecordPolicy) {
        self.file = file
        self.policy = policy
    }

    mutating func decode(_ bytes: [UInt8], baseOffset: Int, into builder: inout RunLogBuilder) throws(ReadError) -> Int {
        var index = 0
        builder.pending = []
        while index < bytes.count {
            let offset = baseOffset + index
            guard bytes.count - index >= Self.headerSize else { break }
            var header = ProtobufReader(bytes, range: index..<(index + Self.headerSize))
            let length, storedLengthCRC: UInt64
            do throws(ProtobufReader.Malformed) {
                length = try header.readFixed64()
                storedLengthCRC = UInt64(try header.readFixed32())
            } catch {
                break  // cannot happen: the range holds 12 bytes
            }
            let lengthCRC = CRC32C.maskedChecksum(bytes[index..<(index + 8)])
            guard UInt64(lengthCRC) == storedLengthCRC else {
                // The length itself is untrustworthy, so the next record cannot be found.
                throw ReadError(
                    file: file, byteOffset: offset,
                    reason: .lengthChecksumMismatch(stored: UInt32(storedLengthCRC), computed: lengthCRC))
            }
            guard bytes.count - index >= Self.headerSize + Self.footerSize else { break }
            guard length <= UInt64(bytes.count - index - Self.headerSize - Self.footerSize) else { break }
            let dataStart = index + Self.headerSize
            let dataEnd = dataStart + Int(length)
            var footer = ProtobufReader(bytes, range: dataEnd..<(dataEnd + Self.footerSize))
            let storedDataCRC = (try? footer.readFixed32()) ?? 0
            let dataCRC = CRC32C.maskedChecksum(bytes[dataStart..<dataEnd])
            index = dataEnd + Self.footerSize
            guard dataCRC == storedDataCRC else {
                let error = ReadError(
                    file: file, byteOffset: offset, reason: .dataChecksumMismatch(stored: storedDataCRC, computed: dataCRC))
                switch policy {
                case .fail: throw error
                case .skip:
                    builder.extraIssues.append(
                        ReadIssue(
                            kind: .corruptRecordSkipped, metric: nil, locations: [.byte(offset, in: file)],
                            message: "\(file):byte \(offset): record data CRC mismatch; the record (\(length) bytes) was skipped"))
                    continue
                }
            }
            let event: EventDecoder.Event
            do throws(ProtobufReader.Malformed) {
                event = try EventDecoder.decode(bytes, range: dataStart..<dataEnd)
            } catch {
                throw ReadError(file: file, byteOffset: offset, reason: .malformedEvent(error.message))
            }
            if firstWallTime == nil { firstWallTime = event.wallTime }
            let location = LogLocation.byte(offset, in: file)
            let step = Double(event.step)
            for (tag, value) in event.scalars {
                if learningRateTag == nil, TensorBoardReader.isLearningRateTag(tag) { learningRateTag = tag }
                if tag == learningRateTag {
                    builder.addLearningRate(step: step, value: value, at: location)
                } else {
                    builder.add(metric: tag, step: step, value: value, at: location)
                }
            }
        }
        if index < bytes.count {
            builder.pending = [PendingTail(file: file, offset: baseOffset + index, byteCount: bytes.count - index)]
        }
        return index
    }
}

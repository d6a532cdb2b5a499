import Foundation
import RunLogs
import Testing

@Suite struct TensorBoardReaderTests {
    static let steps: [(Int64, [(String, Double)])] = (0..<5).map { index in
        let step = Int64(index * 100)
        return (step, [("train/loss", 3.0 - Double(index) * 0.25), ("train/learning_rate", 1e-3 * Double(5 - index) / 5)])
    }

    @Test func readsScalarsAndTheLearningRate() throws {
        let bytes = TFEventWriter.file(start: 1_700_000_000, steps: Self.steps)
        let log = try TensorBoardReader().parse(bytes, source: "events.out.tfevents.1700000000.host")
        #expect(log.format == .tensorBoard)
        #expect(log.metricNames == ["train/loss"])
        let loss = try #require(log[metric: "train/loss"])
        #expect(loss.steps == [0, 100, 200, 300, 400])
        #expect(loss.values == [3.0, 2.75, 2.5, 2.25, 2.0])  // exact in Float
        #expect(log.learningRate?.values == Self.steps.map { Double(Float($0.1[1].1)) })
        // Locations are byte offsets of records: the second record follows the file_version record.
        let firstRecordSize = TFEventWriter.record(TFEventWriter.fileVersionEvent(wallTime: 1_700_000_000)).count
        #expect(loss.points[0].location == .byte(firstRecordSize, in: "events.out.tfevents.1700000000.host"))
        #expect(log.issues.isEmpty)
        #expect(log.pending.isEmpty)
    }

    @Test(arguments: [
        TFEventWriter.Encoding.simpleValue, .tensorContentFloat, .tensorContentDouble, .floatValPacked, .floatValUnpacked,
        .doubleValPacked,
    ])
    func scalarEncodings(_ encoding: TFEventWriter.Encoding) throws {
        let value = 2.718281828459045
        let bytes = TFEventWriter.file(start: 1, steps: [(7, [("loss", value)])], encoding: encoding)
        let log = try TensorBoardReader().parse(bytes, source: "ev")
        let point = try #require(log[metric: "loss"]?.points.first)
        #expect(point.step == 7)
        switch encoding {
        case .tensorContentDouble, .doubleValPacked: #expect(point.value == value)
        default: #expect(point.value == Double(Float(value)))
        }
    }

    @Test func nonScalarEventsAreSkipped() throws {
        var bytes = TFEventWriter.record(TFEventWriter.fileVersionEvent(wallTime: 5))
        bytes += TFEventWriter.record(TFEventWriter.logMessageEvent(wallTime: 6, step: 1))
        bytes += TFEventWriter.record(TFEventWriter.event(wallTime: 7, step: 2, scalars: [("loss", 1.5)]))
        // A string tensor (dtype 7) under a tag: not a scalar.
        let text = TFEventWriter.lengthDelimited(1, Array("notes".utf8))
            + TFEventWriter.lengthDelimited(8, TFEventWriter.key(1, 0) + TFEventWriter.varint(7) + TFEventWriter.lengthDelimited(8, Array("hi".utf8)))
        let textEvent = TFEventWriter.key(2, 0) + TFEventWriter.varint(3) + TFEventWriter.lengthDelimited(5, TFEventWriter.lengthDelimited(1, text))
        bytes += TFEventWriter.record(textEvent)
        let log = try TensorBoardReader().parse(bytes, source: "ev")
        #expect(log.metricNames == ["loss"])
        #expect(log[metric: "loss"]?.steps == [2])
    }

    @Test func truncatedLastRecordIsPendingAtEveryCut() throws {
        let bytes = TFEventWriter.file(start: 1, steps: Self.steps)
        let lastRecord = TFEventWriter.record(TFEventWriter.event(wallTime: 99, step: 500, scalars: [("train/loss", 1.9)]))
        for cut in [1, 8, 11, 12, 13, lastRecord.count - 4, lastRecord.count - 1] {
            let log = try TensorBoardReader().parse(bytes + lastRecord.prefix(cut), source: "ev")
            #expect(log[metric: "train/loss"]?.steps.last == 400, "cut \(cut)")
            #expect(log.pending == [PendingTail(file: "ev", offset: bytes.count, byteCount: cut)], "cut \(cut)")
        }
        let complete = try TensorBoardReader().parse(bytes + lastRecord, source: "ev")
        #expect(complete[metric: "train/loss"]?.steps.last == 500)
    }

    @Test func dataCRCMismatchNamesFileAndOffset() throws {
        var bytes = TFEventWriter.file(start: 1, steps: Self.steps)
        let recordSizes = [TFEventWriter.record(TFEventWriter.fileVersionEvent(wallTime: 1)).count]
            + Self.steps.enumerated().map { index, step in
                TFEventWriter.record(TFEventWriter.event(wallTime: 1 + Double(index + 1), step: step.0, scalars: step.1)).count
            }
        #expect(recordSizes.reduce(0, +) == bytes.count)
        let thirdRecord = recordSizes[0] + recordSizes[1]
        bytes[thirdRecord + 12 + 5] ^= 0x40  // flip a bit inside the third record's data
        let error = expectError(
            TensorBoardReader.ReadError.self,
            mentioning: ["events.out.tfevents.1.host:byte \(thirdRecord)", "record data", "CRC mismatch", "corruptRecords: .skip"]
        ) {
            _ = try TensorBoardReader().parse(bytes, source: "events.out.tfevents.1.host")
        }
        #expect(error?.byteOffset == thirdRecord)

        let skipping = TensorBoardReader(options: .init(corruptRecords: .skip))
        let log = try skipping.parse(bytes, source: "events.out.tfevents.1.host")
        #expect(log[metric: "train/loss"]?.steps == [0, 200, 300, 400])
        let issue = try #require(log.issues.first)
        #expect(issue.kind == .corruptRecordSkipped)
        #expect(issue.message.contains("events.out.tfevents.1.host:byte \(thirdRecord)"))
    }

    @Test func lengthCRCMismatchIsAlwaysAnError() {
        var bytes = TFEventWriter.file(start: 1, steps: Self.steps)
        let second = TFEventWriter.record(TFEventWriter.fileVersionEvent(wallTime: 1)).count
        bytes[second + 9] ^= 0x01  // the length CRC of the second record
        expectError(TensorBoardReader.ReadError.self, mentioning: ["ev:byte \(second)", "length field", "CRC mismatch"]) {
            _ = try TensorBoardReader(options: .init(corruptRecords: .skip)).parse(bytes, source: "ev")
        }
    }

    @Test func malformedEventWithValidCRCIsAnError() {
        // A length-delimited field claiming more bytes than the record has.
        let bad = TFEventWriter.record(TFEventWriter.key(5, 2) + TFEventWriter.varint(50) + [1, 2, 3])
        expectError(TensorBoardReader.ReadError.self, mentioning: ["ev:byte 0", "not a valid Event proto"]) {
            _ = try TensorBoardReader().parse(bad, source: "ev")
        }
    }

    @Test func nanScalarsAreDroppedWithTheirOffsets() throws {
        let bytes = TFEventWriter.file(start: 1, steps: [(1, [("loss", 2.0)]), (2, [("loss", .nan)]), (3, [("loss", 1.8)])])
        let log = try TensorBoardReader().parse(bytes, source: "ev")
        #expect(log[metric: "loss"]?.steps == [1, 3])
        let issue = try #require(log.issues.first)
        #expect(issue.kind == .nonFiniteValuesDropped)
        #expect(issue.message.contains("ev: metric 'loss'"))
        #expect(issue.message.contains("byte "))
    }

    @Test func resumedRunAcrossFilesLaterWriteWins() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        // File names sort the other way round from their wall times: wall time decides.
        func steps(_ range: ClosedRange<Int>, _ start: Double, _ slope: Double) -> [(Int64, [(String, Double)])] {
            range.map { index -> (Int64, [(String, Double)]) in
                let value: Double = start - Double(index) * slope
                return (Int64(index * 10), [("loss", value)])
            }
        }
        let first = TFEventWriter.file(start: 1_000, steps: steps(0...5, 3.0, 0.125))
        let second = TFEventWriter.file(start: 2_000, steps: steps(3...8, 2.0, 0.0625))
        try directory.write("events.out.tfevents.b.host.1.0", first)
        try directory.write("events.out.tfevents.a.host.2.0", second)
        try directory.write("notes.txt", "not an event file")
        let log = try TensorBoardReader().readRunDirectory(directory.url)
        let loss = try #require(log[metric: "loss"])
        #expect(loss.steps == (0...8).map { Double($0 * 10) })
        #expect(Array(loss.values.prefix(3)) == [3.0, 2.875, 2.75])
        let expected: [Double] = steps(3...8, 2.0, 0.0625).map { $0.1[0].1 }
        #expect(Array(loss.values.suffix(6)) == expected)
        #expect(loss.points[3].location.file.hasSuffix("events.out.tfevents.a.host.2.0"))
        let issue = try #require(log.issues.first { $0.kind == .resumedStepsReplaced })
        #expect(issue.message.contains("events.out.tfevents.a.host.2.0:byte"))
        #expect(issue.message.contains("3 earlier points"))

        let strict = try TensorBoardReader(options: .init(mode: .strict)).readRunDirectory(directory.url)
        #expect(strict[metric: "loss"]?.count == 12)
    }

    @Test func directoryWithoutEventFilesIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        expectError(TensorBoardReader.ReadError.self, mentioning: [directory.url.path, "no events.out.tfevents"]) {
            _ = try TensorBoardReader().readRunDirectory(directory.url)
        }
    }

    @Test func learningRateTags() {
        #expect(TensorBoardReader.isLearningRateTag("train/learning_rate"))
        #expect(TensorBoardReader.isLearningRateTag("lr-Adam"))
        #expect(TensorBoardReader.isLearningRateTag("lr"))
        #expect(!TensorBoardReader.isLearningRateTag("train/loss"))
    }
}

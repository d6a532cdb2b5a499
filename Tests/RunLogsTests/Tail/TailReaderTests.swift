import Foundation
import RunLogs
import Testing

@Suite struct TailReaderTests {
    @Test func csvAppendsAreReadIncrementallyAndPartialLinesWait() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let header = "step,lr,loss\n"
        let firstRows = "100,0.001,3.20\n200,0.001,3.05\n"
        let file = try directory.write("run.csv", header + firstRows)
        var tail = TailReader(file: file, format: .csv(.init()))

        var update = try tail.poll()
        #expect(update.log[metric: "loss"]?.steps == [100, 200])
        #expect(update.bytesConsumed == (header + firstRows).utf8.count)
        #expect(update.restart == nil)
        #expect(tail.offset == (header + firstRows).utf8.count)

        // Nothing new.
        update = try tail.poll()
        #expect(update.bytesConsumed == 0)
        #expect(update.log[metric: "loss"]?.count == 2)

        // One complete line and one being written.
        try directory.append("run.csv", "300,0.001,2.96\n400,0.0009,2.8")
        update = try tail.poll()
        #expect(update.bytesConsumed == "300,0.001,2.96\n".utf8.count)
        #expect(update.log[metric: "loss"]?.steps == [100, 200, 300])
        #expect(update.log.pending.count == 1)
        #expect(update.log.pending.first?.offset == tail.offset)

        try directory.append("run.csv", "9\n500,0.0008,2.77\n")
        update = try tail.poll()
        let loss = try #require(update.log[metric: "loss"])
        #expect(loss.steps == [100, 200, 300, 400, 500])
        #expect(loss.values[3] == 2.89)
        #expect(loss.points[3].location == .line(5, in: file.path))
        #expect(update.log.learningRate?.values.last == 0.0008)
        #expect(update.log.pending.isEmpty)
    }

    @Test func headerArrivingLaterAndEmptyFileAreNotErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let file = try directory.write("run.csv", "")
        var tail = TailReader(file: file, format: .csv(.init()))
        #expect(try tail.poll().log.metrics.isEmpty)
        try directory.append("run.csv", "step,lo")
        #expect(try tail.poll().log.pending.count == 1)
        try directory.append("run.csv", "ss\n1,2.5\n")
        #expect(try tail.poll().log[metric: "loss"]?.steps == [1])
    }

    @Test func truncatedFileIsReadAgainFromTheStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let file = try directory.write("run.csv", "step,loss\n1,3.0\n2,2.9\n3,2.8\n")
        var tail = TailReader(file: file, format: .csv(.init()))
        _ = try tail.poll()
        // A new run reuses the file name.
        try directory.write("run.csv", "step,loss\n1,4.0\n")
        let update = try tail.poll()
        #expect(update.restart == .truncated(previousOffset: 28, size: 16))
        #expect(update.log[metric: "loss"]?.values == [4.0])
    }

    @Test func lightningHeaderRewriteIsDetected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let before = "epoch,step,train_loss\r\n0,49,2.31\r\n0,99,2.05\r\n"
        let file = try directory.write("metrics.csv", before)
        var tail = TailReader(file: file, format: .lightningCSV(.init()))
        var update = try tail.poll()
        #expect(update.log.metricNames == ["train_loss"])
        // Validation starts: CSVLogger rewrites the file with a wider header, then appends.
        let after = "epoch,step,train_loss,val_loss\r\n0,49,2.31,\r\n0,99,2.05,\r\n0,99,,2.10\r\n1,149,1.91,\r\n"
        try directory.write("metrics.csv", after)
        update = try tail.poll()
        #expect(update.restart == .rewritten)
        #expect(update.log.metricNames == ["train_loss", "val_loss"])
        #expect(update.log[metric: "train_loss"]?.steps == [49, 99, 149])
        #expect(update.log[metric: "val_loss"]?.steps == [99])
        #expect(update.log.issues.isEmpty)
        // Appends after the rewrite are incremental again.
        try directory.append("metrics.csv", "1,199,1.83,\r\n")
        update = try tail.poll()
        #expect(update.restart == nil)
        #expect(update.bytesConsumed == "1,199,1.83,\r\n".utf8.count)
        #expect(update.log[metric: "train_loss"]?.steps.last == 199)
    }

    @Test func resumedJSONLAcrossPollsLaterWriteWins() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let file = try directory.write("log.jsonl", "{\"step\": 1, \"loss\": 3.0}\n{\"step\": 2, \"loss\": 2.9}\n{\"step\": 3, \"loss\": 2.8}\n")
        var tail = TailReader(file: file, format: .jsonl(.init()))
        _ = try tail.poll()
        try directory.append("log.jsonl", "{\"step\": 2, \"loss\": 2.95}\n{\"step\": 3, \"loss\": 2.85}\n{\"step\": 4, \"loss\": 2.7}\n")
        let update = try tail.poll()
        let loss = try #require(update.log[metric: "loss"])
        #expect(loss.steps == [1, 2, 3, 4])
        #expect(loss.values == [3.0, 2.95, 2.85, 2.7])
        #expect(loss.points[1].location == .line(4, in: file.path))
        #expect(update.log.issues.contains { $0.kind == .resumedStepsReplaced && $0.message.contains("log.jsonl:4") })
    }

    @Test func jsonlLineWrittenBeforeItsNewlineKeepsLineNumbersRight() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let file = try directory.write("log.jsonl", "{\"step\": 1, \"loss\": 3.0}")
        var tail = TailReader(file: file, format: .jsonl(.init()))
        var update = try tail.poll()
        #expect(update.log[metric: "loss"]?.count ?? 0 == 0)
        #expect(update.log.pending.count == 1)
        try directory.append("log.jsonl", "\n{\"step\": 2, \"loss\": 2.9}\n")
        update = try tail.poll()
        #expect(update.log[metric: "loss"]?.points.map(\.location.position) == [.line(1), .line(2)])
        #expect(update.log.pending.isEmpty)
    }

    @Test func tensorBoardRecordsArrivingInPieces() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let head = TFEventWriter.file(start: 10, steps: [(0, [("loss", 3.0)]), (10, [("loss", 2.5)])])
        let next = TFEventWriter.record(TFEventWriter.event(wallTime: 20, step: 20, scalars: [("loss", 2.25)]))
        let name = "events.out.tfevents.10.host.1.0"
        let file = try directory.write(name, head + next.prefix(10))
        var tail = TailReader(file: file, format: .tensorBoard(.init()))
        var update = try tail.poll()
        #expect(update.log[metric: "loss"]?.steps == [0, 10])
        #expect(update.log.pending == [PendingTail(file: file.path, offset: head.count, byteCount: 10)])
        try directory.append(name, Array(next.dropFirst(10)))
        update = try tail.poll()
        #expect(update.bytesConsumed == next.count)
        #expect(update.log[metric: "loss"]?.values == [3.0, 2.5, 2.25])
        #expect(update.log.pending.isEmpty)
    }

    @Test func anErrorLeavesTheReaderWhereItWas() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let good = "step,loss\n1,3.0\n"
        let file = try directory.write("run.csv", good)
        var tail = TailReader(file: file, format: .csv(.init()))
        _ = try tail.poll()
        try directory.append("run.csv", "2,abc\n")
        expectError(CSVLogReader.ReadError.self, mentioning: ["run.csv:3", "column 'loss'", "\"abc\""]) {
            _ = try tail.poll()
        }
        #expect(tail.offset == good.utf8.count)
        #expect(tail.log[metric: "loss"]?.count == 1)
        // The user fixes the row in place; the next poll goes on from the same offset.
        try directory.write("run.csv", good + "2,2.9\n")
        let update = try tail.poll()
        #expect(update.restart == nil)
        #expect(update.log[metric: "loss"]?.steps == [1, 2])
    }

    @Test func missingFileIsAnErrorNamingIt() {
        let url = URL(fileURLWithPath: "/nonexistent/curvecast/run.jsonl")
        var tail = TailReader(file: url, format: .jsonl(.init()))
        expectError(JSONLLogReader.ReadError.self, mentioning: ["/nonexistent/curvecast/run.jsonl", "does not exist"]) {
            _ = try tail.poll()
        }
    }
}

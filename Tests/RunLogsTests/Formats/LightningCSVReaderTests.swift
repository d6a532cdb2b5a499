import RunLogs
import Testing

@Suite struct LightningCSVReaderTests {
    /// As CSVLogger writes it: sorted keys, CRLF, sparse rows; LearningRateMonitor rows carry
    /// only `lr-Adam` and `step`.
    static let metrics =
        "epoch,lr-Adam,step,train_loss,val_loss\r\n"
        + ",0.001,0,,\r\n"
        + "0,,49,2.3141,\r\n"
        + "0,,99,2.0517,\r\n"
        + "0,,99,,2.1034\r\n"
        + ",0.0009,100,,\r\n"
        + "1,,149,1.9120,\r\n"
        + "1,,199,1.8333,\r\n"
        + "1,,199,,1.9011\r\n"

    @Test func readsSparseRows() throws {
        let log = try LightningCSVReader().parse(Self.metrics, source: "metrics.csv")
        #expect(log.format == .lightningCSV)
        #expect(log.metricNames == ["train_loss", "val_loss"])
        #expect(log[metric: "train_loss"]?.steps == [49, 99, 149, 199])
        #expect(log[metric: "val_loss"]?.steps == [99, 199])
        #expect(log[metric: "val_loss"]?.points.last?.location == .line(9, in: "metrics.csv"))
        #expect(log.learningRate?.steps == [0, 100])
        #expect(log.learningRate?.values == [0.001, 0.0009])
        #expect(log.issues.isEmpty)
        #expect(log.pending.isEmpty)
    }

    @Test func partialLastLineIsPendingNotAnError() throws {
        let text = Self.metrics + "1,,249,1.79"
        let log = try LightningCSVReader().parse(text, source: "metrics.csv")
        #expect(log[metric: "train_loss"]?.steps.last == 199)
        #expect(log.pending == [PendingTail(file: "metrics.csv", offset: Self.metrics.utf8.count, byteCount: 11)])
        #expect(log.pending[0].description.contains("metrics.csv:byte \(Self.metrics.utf8.count)"))
    }

    @Test func badCellsNameLineAndColumn() {
        let text = Self.metrics + "1,,249,oops,\r\n"
        expectError(CSVLogReader.ReadError.self, mentioning: ["metrics.csv:10", "column 'train_loss'", "\"oops\""]) {
            _ = try LightningCSVReader().parse(text, source: "metrics.csv")
        }
        expectError(CSVLogReader.ReadError.self, mentioning: ["metrics.csv:1", "no column 'step'", "'epoch'"]) {
            _ = try LightningCSVReader().parse("epoch,train_loss\r\n0,2.3\r\n", source: "metrics.csv")
        }
        expectError(CSVLogReader.ReadError.self, mentioning: ["metrics.csv:2", "column 'step'", "empty"]) {
            _ = try LightningCSVReader().parse("epoch,step,train_loss\r\n0,,2.3\r\n", source: "metrics.csv")
        }
    }

    @Test func emptyFileIsAnError() {
        expectError(CSVLogReader.ReadError.self, mentioning: ["metrics.csv", "empty"]) {
            _ = try LightningCSVReader().parse("", source: "metrics.csv")
        }
    }

    @Test func learningRateColumns() {
        #expect(LightningCSVReader.isLearningRateColumn("lr-Adam"))
        #expect(LightningCSVReader.isLearningRateColumn("lr-AdamW/pg1"))
        #expect(LightningCSVReader.isLearningRateColumn("learning_rate"))
        #expect(!LightningCSVReader.isLearningRateColumn("train_loss"))
        #expect(!LightningCSVReader.isLearningRateColumn("lrs"))
    }
}

import Foundation
import RunLogs
import Testing
import TestSupport

@Suite struct CSVLogReaderTests {
    /// A run log as a training script would write it: step, lr, loss.
    static let curve = """
        step,lr,loss
        128,0.0003,4.1012
        256,0.0003,3.9931
        384,0.00029,3.8874
        512,0.00028,3.8120

        """

    @Test func readsStepLossAndLearningRate() throws {
        let log = try CSVLogReader().parse(Self.curve, source: "curve.csv")
        let loss = try #require(log[metric: "loss"])
        #expect(log.metricNames == ["loss"])
        #expect(loss.steps == [128, 256, 384, 512])
        #expect(loss.values == [4.1012, 3.9931, 3.8874, 3.8120])
        #expect(loss.points[2].location == .line(4, in: "curve.csv"))
        let lr = try #require(log.learningRate)
        #expect(lr.values == [0.0003, 0.0003, 0.00029, 0.00028])
        #expect(log.issues.isEmpty)
        #expect(log.pending.isEmpty)
        try loss.validateForFitting(minPoints: 4, requirePositive: true)
    }

    @Test func readsTheSharedMPLCurve() throws {
        let url = RepositoryPaths.sharedFile("curves/mpl/25M/constant_24000.csv")
        let log = try CSVLogReader().read(url)
        let loss = try #require(log[metric: "loss"])
        #expect(loss.count == 171)
        #expect(loss.steps.first == 2176)
        #expect(loss.steps.last == 23936)
        #expect(loss.values.first == 4.101)
        let lr = try #require(log.learningRate)
        #expect(lr.count == 171)
        #expect(lr.values.allSatisfy { $0 == 0.0003 })
        #expect(log.issues.isEmpty)
        try loss.validateForFitting(minPoints: 100, requirePositive: true)
    }

    @Test func otherColumnsAndNoLearningRate() throws {
        let text = "step,loss,tokens\n477,3.9996905327,2000683008\n954,3.4104957581,4001366016\n"
        let log = try CSVLogReader(options: .init(stepColumn: "tokens", valueColumns: ["loss"])).parse(text, source: "g.csv")
        #expect(log[metric: "loss"]?.steps == [2000683008, 4001366016])
        #expect(log.learningRate == nil)
    }

    @Test func rfc4180QuotingCRLFAndBlankLines() throws {
        let text = "\u{FEFF}\"step\",\"loss\",\"note\"\r\n1,\"2.5\",\"a, b\"\r\n\r\n2,2.4,\"multi\nline\"\r\n   \r\n3,2.3,\"say \"\"hi\"\"\"\r\n"
        let log = try CSVLogReader().parse(text, source: "q.csv")
        let loss = try #require(log[metric: "loss"])
        #expect(loss.steps == [1, 2, 3])
        #expect(loss.values == [2.5, 2.4, 2.3])
        // The record with a quoted newline starts on line 4; the next record is on line 7.
        #expect(loss.points.map(\.location.position) == [.line(2), .line(4), .line(7)])
    }

    @Test func lastLineWithoutNewlineIsUsedInAFinishedFile() throws {
        let log = try CSVLogReader().parse("step,loss\n1,2.5\n2,2.4", source: "c.csv")
        #expect(log[metric: "loss"]?.steps == [1, 2])
        #expect(log.pending.isEmpty)
    }

    @Test func nonNumericCellNamesFileLineAndColumn() {
        let text = "step,lr,loss\n1,0.1,2.5\n2,0.1,2.4\n3,0.1,abc\n"
        let error = expectError(CSVLogReader.ReadError.self, mentioning: ["curve.csv:4", "column 'loss'", "\"abc\"", "not a number"]) {
            _ = try CSVLogReader().parse(text, source: "curve.csv")
        }
        #expect(error?.line == 4)
        #expect(error?.reason == .notANumber(column: "loss", cell: "abc"))
    }

    @Test func nonNumericStepAndLearningRate() {
        expectError(CSVLogReader.ReadError.self, mentioning: ["c.csv:3", "column 'step'", "\"x\""]) {
            _ = try CSVLogReader().parse("step,lr,loss\n1,0.1,2.5\nx,0.1,2.4\n", source: "c.csv")
        }
        expectError(CSVLogReader.ReadError.self, mentioning: ["c.csv:2", "column 'lr'", "\"fast\""]) {
            _ = try CSVLogReader().parse("step,lr,loss\n1,fast,2.5\n", source: "c.csv")
        }
        expectError(CSVLogReader.ReadError.self, mentioning: ["c.csv:2", "column 'step'", "empty"]) {
            _ = try CSVLogReader().parse("step,loss\n,2.5\n", source: "c.csv")
        }
        expectError(CSVLogReader.ReadError.self, mentioning: ["c.csv:2", "column 'step'", "not finite"]) {
            _ = try CSVLogReader().parse("step,loss\nnan,2.5\n", source: "c.csv")
        }
    }

    @Test func missingColumnListsTheAvailableOnes() {
        let error = expectError(
            CSVLogReader.ReadError.self,
            mentioning: ["run.csv:1", "no column 'loss'", "'step'", "'train_loss'", "'lr'"]
        ) {
            _ = try CSVLogReader().parse("step,train_loss,lr\n1,2.0,0.1\n", source: "run.csv")
        }
        #expect(error?.reason == .missingColumn("loss", available: ["step", "train_loss", "lr"]))
        expectError(CSVLogReader.ReadError.self, mentioning: ["run.csv:1", "no column 'iteration'"]) {
            _ = try CSVLogReader(options: .init(stepColumn: "iteration")).parse("step,loss\n1,2\n", source: "run.csv")
        }
    }

    @Test func emptyFilesAreErrors() throws {
        for text in ["", "\n\n", "  \r\n"] {
            expectError(CSVLogReader.ReadError.self, mentioning: ["empty.csv", "empty", "header"]) {
                _ = try CSVLogReader().parse(text, source: "empty.csv")
            }
        }
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let missing = directory.url.appendingPathComponent("nope.csv")
        expectError(CSVLogReader.ReadError.self, mentioning: ["nope.csv", "does not exist"]) {
            _ = try CSVLogReader().read(missing)
        }
    }

    @Test func headerOnlyAndOnePointAreLeftToValidation() throws {
        let headerOnly = try CSVLogReader().parse("step,loss\n", source: "h.csv")
        let empty = try #require(headerOnly[metric: "loss"])
        #expect(empty.isEmpty)
        expectError(MetricSeries.ValidationError.self, mentioning: ["h.csv", "metric 'loss'", "0 points", "at least 2"]) {
            try empty.validateForFitting(minPoints: 1)
        }
        let one = try #require(try CSVLogReader().parse("step,loss\n10,2.5\n", source: "one.csv")[metric: "loss"])
        #expect(one.count == 1)
        expectError(MetricSeries.ValidationError.self, mentioning: ["one.csv", "metric 'loss'", "1 point", "at least 2"]) {
            try one.validateForFitting()
        }
        let two = try #require(try CSVLogReader().parse("step,loss\n10,2.5\n20,2.4\n", source: "two.csv")[metric: "loss"])
        try two.validateForFitting()
        expectError(MetricSeries.ValidationError.self, mentioning: ["two.csv", "2 points", "at least 5"]) {
            try two.validateForFitting(minPoints: 5)
        }
    }

    @Test func nanAndInfAreDroppedWithAWarningListingTheLines() throws {
        let text = "step,loss\n1,2.5\n2,nan\n3,2.3\n4,inf\n5,-Infinity\n6,2.1\n"
        let log = try CSVLogReader().parse(text, source: "n.csv")
        #expect(log[metric: "loss"]?.steps == [1, 3, 6])
        #expect(log.issues.count == 1)
        let issue = try #require(log.issues.first)
        #expect(issue.kind == .nonFiniteValuesDropped)
        #expect(issue.metric == "loss")
        #expect(issue.locations.map(\.position) == [.line(3), .line(5), .line(6)])
        #expect(issue.message.contains("n.csv"))
        #expect(issue.message.contains("lines 3, 5, 6"))
        #expect(issue.message.contains("metric 'loss'"))
    }

    @Test func emptyValueCellsMeanNotLogged() throws {
        let log = try CSVLogReader(options: .init(valueColumns: ["loss", "eval_loss"]))
            .parse("step,loss,eval_loss\n1,2.5,\n2,2.4,2.6\n3,,\n", source: "s.csv")
        #expect(log[metric: "loss"]?.steps == [1, 2])
        #expect(log[metric: "eval_loss"]?.steps == [2])
        #expect(log.issues.isEmpty)
    }

    @Test func fieldCountAndQuotingErrorsNameTheLine() {
        expectError(CSVLogReader.ReadError.self, mentioning: ["f.csv:3", "2 fields", "header has 3"]) {
            _ = try CSVLogReader().parse("step,lr,loss\n1,0.1,2.5\n2,2.4\n", source: "f.csv")
        }
        expectError(CSVLogReader.ReadError.self, mentioning: ["f.csv:2", "never closed"]) {
            _ = try CSVLogReader().parse("step,loss\n1,\"2.5\n2,2.4\n", source: "f.csv")
        }
        expectError(CSVLogReader.ReadError.self, mentioning: ["f.csv:2", "closing quote"]) {
            _ = try CSVLogReader().parse("step,loss\n1,\"2.5\"x\n", source: "f.csv")
        }
    }

    @Test func resumeModeLaterWriteWins() throws {
        // A run logged steps 100..400, crashed, and restarted from its step-200 checkpoint.
        let text = "step,loss\n100,3.0\n200,2.8\n300,2.7\n400,2.65\n300,2.69\n400,2.61\n500,2.55\n"
        let log = try CSVLogReader().parse(text, source: "r.csv")
        let loss = try #require(log[metric: "loss"])
        #expect(loss.steps == [100, 200, 300, 400, 500])
        #expect(loss.values == [3.0, 2.8, 2.69, 2.61, 2.55])
        #expect(loss.points[2].location == .line(6, in: "r.csv"))
        let issue = try #require(log.issues.first)
        #expect(issue.kind == .resumedStepsReplaced)
        #expect(issue.message.contains("r.csv:6"))
        #expect(issue.message.contains("step 300"))
        #expect(issue.message.contains("2 earlier points"))
        try loss.validateForFitting()
    }

    @Test func strictModeKeepsDuplicatesAndValidationNamesBothLines() throws {
        let text = "step,loss\n100,3.0\n200,2.8\n300,2.7\n200,2.79\n"
        let loss = try #require(try CSVLogReader(options: .init(mode: .strict)).parse(text, source: "d.csv")[metric: "loss"])
        #expect(loss.steps == [100, 200, 300, 200])
        let error = expectError(MetricSeries.ValidationError.self, mentioning: ["d.csv:5", "line 3", "step 200", "metric 'loss'"]) {
            try loss.validateForFitting()
        }
        #expect(
            error?.reason == .duplicateStep(step: 200, first: .line(3, in: "d.csv"), second: .line(5, in: "d.csv")))

        let adjacent = try #require(
            try CSVLogReader(options: .init(mode: .strict)).parse("step,loss\n1,3\n2,2.9\n2,2.8\n", source: "a.csv")[metric: "loss"])
        expectError(MetricSeries.ValidationError.self, mentioning: ["a.csv:4", "line 3", "step 2"]) {
            try adjacent.validateForFitting()
        }
    }

    @Test func strictModeOutOfOrderNamesTheFirstOffendingLine() throws {
        let text = "step,loss\n10,3.0\n30,2.8\n20,2.9\n40,2.7\n"
        let loss = try #require(try CSVLogReader(options: .init(mode: .strict)).parse(text, source: "o.csv")[metric: "loss"])
        let error = expectError(MetricSeries.ValidationError.self, mentioning: ["o.csv:4", "step 20", "step 30", "line 3"]) {
            try loss.validateForFitting()
        }
        #expect(error?.reason == .outOfOrder(step: 20, at: .line(4, in: "o.csv"), previousStep: 30, previous: .line(3, in: "o.csv")))
    }

    @Test func nonPositiveValuesFailOnlyWhenALogScaleIsRequired() throws {
        let loss = try #require(try CSVLogReader().parse("step,loss\n1,0.5\n2,0\n3,-0.1\n", source: "p.csv")[metric: "loss"])
        try loss.validateForFitting(requirePositive: false)
        expectError(MetricSeries.ValidationError.self, mentioning: ["p.csv:3", "metric 'loss'", "not positive"]) {
            try loss.validateForFitting(requirePositive: true)
        }
    }
}

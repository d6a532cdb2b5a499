import RunLogs
import Testing

@Suite struct JSONLLogReaderTests {
    static let log = """
        {"event": "config", "model": "gpt-25M", "batch_size": 256}
        {"step": 100, "loss": 3.912, "lr": 0.0003, "tokens": 26214400}
        {"step": 200, "loss": 3.701, "lr": 0.0003, "tokens": 52428800}

        {"step": 200, "eval": {"loss": 3.75}}
        {"step": 300, "loss": 3.588, "lr": 0.00029, "tokens": 78643200}

        """

    @Test func readsStepLossAndLearningRateSkippingOtherRecords() throws {
        let log = try JSONLLogReader().parse(Self.log, source: "train.jsonl")
        let loss = try #require(log[metric: "loss"])
        #expect(loss.steps == [100, 200, 300])
        #expect(loss.values == [3.912, 3.701, 3.588])
        #expect(loss.points[2].location == .line(6, in: "train.jsonl"))
        #expect(log.learningRate?.values == [0.0003, 0.0003, 0.00029])
        #expect(log.issues.isEmpty)
    }

    @Test func nestedKeysWithDots() throws {
        let options = JSONLLogReader.Options(valueKeys: ["eval.loss", "loss"])
        let log = try JSONLLogReader(options: options).parse(Self.log, source: "train.jsonl")
        #expect(log[metric: "eval.loss"]?.steps == [200])
        #expect(log[metric: "eval.loss"]?.values == [3.75])
        let flat = try JSONLLogReader(options: .init(stepKey: "trainer.step", valueKeys: ["metrics.loss"]))
            .parse("{\"trainer\": {\"step\": 5}, \"metrics.loss\": 2.0}\n", source: "f.jsonl")
        #expect(flat[metric: "metrics.loss"]?.steps == [5])
    }

    @Test func pythonNaNAndInfinityAreDroppedWithAWarning() throws {
        let text = "{\"step\": 1, \"loss\": 2.5}\n{\"step\": 2, \"loss\": NaN}\n{\"step\": 3, \"loss\": Infinity}\n{\"step\": 4, \"loss\": \"nan\"}\n{\"step\": 5, \"loss\": 2.1}\n"
        let log = try JSONLLogReader().parse(text, source: "n.jsonl")
        #expect(log[metric: "loss"]?.steps == [1, 5])
        let issue = try #require(log.issues.first)
        #expect(issue.kind == .nonFiniteValuesDropped)
        #expect(issue.message.contains("n.jsonl"))
        #expect(issue.message.contains("lines 2, 3, 4"))
    }

    @Test func invalidJSONNamesLineAndColumn() {
        let text = "{\"step\": 1, \"loss\": 2.5}\n{\"step\": 2 \"loss\": 2.4}\n{\"step\": 3, \"loss\": 2.3}\n"
        let error = expectError(JSONLLogReader.ReadError.self, mentioning: ["bad.jsonl:2", "column 12", "not valid JSON"]) {
            _ = try JSONLLogReader().parse(text, source: "bad.jsonl")
        }
        #expect(error?.line == 2)
    }

    @Test func wrongTypesAndMissingStepNameTheKey() {
        expectError(JSONLLogReader.ReadError.self, mentioning: ["t.jsonl:2", "key 'loss'", "\"abc\"", "not a number"]) {
            _ = try JSONLLogReader().parse("{\"step\": 1, \"loss\": 2.5}\n{\"step\": 2, \"loss\": \"abc\"}\n", source: "t.jsonl")
        }
        expectError(JSONLLogReader.ReadError.self, mentioning: ["t.jsonl:1", "key 'step'", "missing", "'loss'"]) {
            _ = try JSONLLogReader().parse("{\"iter\": 1, \"loss\": 2.5}\n", source: "t.jsonl")
        }
        expectError(JSONLLogReader.ReadError.self, mentioning: ["t.jsonl:1", "not a JSON object"]) {
            _ = try JSONLLogReader().parse("[1, 2.5]\n", source: "t.jsonl")
        }
        expectError(JSONLLogReader.ReadError.self, mentioning: ["t.jsonl:1", "key 'step'", "true"]) {
            _ = try JSONLLogReader().parse("{\"step\": true, \"loss\": 2.5}\n", source: "t.jsonl")
        }
    }

    @Test func emptyFileIsAnError() {
        expectError(JSONLLogReader.ReadError.self, mentioning: ["e.jsonl", "empty"]) {
            _ = try JSONLLogReader().parse("\n  \n", source: "e.jsonl")
        }
    }

    @Test func truncatedLastLineIsPending() throws {
        let complete = "{\"step\": 1, \"loss\": 2.5}\n{\"step\": 2, \"loss\": 2.4}\n"
        let text = complete + "{\"step\": 3, \"lo"
        let log = try JSONLLogReader().parse(text, source: "p.jsonl")
        #expect(log[metric: "loss"]?.steps == [1, 2])
        #expect(log.pending == [PendingTail(file: "p.jsonl", offset: complete.utf8.count, byteCount: 15)])
        // A complete object without its newline is used.
        let whole = try JSONLLogReader().parse(complete + "{\"step\": 3, \"loss\": 2.3}", source: "p.jsonl")
        #expect(whole[metric: "loss"]?.steps == [1, 2, 3])
        #expect(whole.pending.isEmpty)
    }

    @Test func resumedRunRepeatsSteps() throws {
        let text = (1...4).map { "{\"step\": \($0), \"loss\": \(3.0 - Double($0) * 0.1)}" }.joined(separator: "\n")
            + "\n{\"step\": 3, \"loss\": 2.75}\n{\"step\": 4, \"loss\": 2.65}\n"
        let resumed = try #require(try JSONLLogReader().parse(text, source: "r.jsonl")[metric: "loss"])
        #expect(resumed.steps == [1, 2, 3, 4])
        #expect(resumed.values.suffix(2) == [2.75, 2.65])
        let strict = try #require(try JSONLLogReader(options: .init(mode: .strict)).parse(text, source: "r.jsonl")[metric: "loss"])
        #expect(strict.count == 6)
        expectError(MetricSeries.ValidationError.self, mentioning: ["r.jsonl:5", "line 3", "step 3"]) {
            try strict.validateForFitting()
        }
    }
}

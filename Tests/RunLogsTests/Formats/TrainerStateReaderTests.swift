import Foundation
import RunLogs
import Testing

@Suite struct TrainerStateReaderTests {
    @Test func readsTrainAndEvalLossesAndLearningRate() throws {
        let text = TrainerStateFixture.text(rows: TrainerStateFixture.rows(lastStep: 150), globalStep: 150, final: true)
        let log = try TrainerStateReader().parse(text, source: "trainer_state.json")
        #expect(log.format == .trainerState)
        #expect(log.metricNames == ["loss", "eval_loss"])
        let loss = try #require(log[metric: "loss"])
        #expect(loss.steps == stride(from: 10, through: 150, by: 10).map(Double.init))
        #expect(loss.values.first == 2.99)
        #expect(try #require(log[metric: "eval_loss"]).steps == [50, 100, 150])
        #expect(log.learningRate?.count == 15)
        #expect(log.learningRate?.values.first == 5e-5 * 0.99)
        // The first train row opens on line 11; its "loss" member is on line 15.
        #expect(loss.points[0].location == .line(15, in: "trainer_state.json"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[14].contains("\"loss\": 2.99"))
        // The summary row's train_loss is not a curve point.
        #expect(log[metric: "train_loss"] == nil)
        #expect(log.issues.isEmpty)
    }

    @Test func severalEvalSets() throws {
        let text = TrainerStateFixture.text(
            rows: TrainerStateFixture.rows(lastStep: 100, evalSets: ["wiki", "code"]), globalStep: 100)
        let log = try TrainerStateReader().parse(text, source: "trainer_state.json")
        #expect(log.metricNames == ["loss", "eval_code_loss", "eval_wiki_loss"])
        #expect(log[metric: "eval_wiki_loss"]?.steps == [50, 100])
    }

    @Test func nanLossIsDroppedWithTheLine() throws {
        let rows = TrainerStateFixture.rows(lastStep: 40) { $0 == 30 ? "NaN" : "2.5" }
        let text = TrainerStateFixture.text(rows: rows, globalStep: 40)
        let log = try TrainerStateReader().parse(text, source: "trainer_state.json")
        #expect(log[metric: "loss"]?.steps == [10, 20, 40])
        let issue = try #require(log.issues.first)
        #expect(issue.kind == .nonFiniteValuesDropped)
        let lineOfNaN = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("NaN") }! + 1
        #expect(issue.locations == [.line(lineOfNaN, in: "trainer_state.json")])
        #expect(issue.message.contains("line \(lineOfNaN)"))
    }

    @Test func badValuesNameLineAndField() throws {
        let rows = TrainerStateFixture.rows(lastStep: 30) { $0 == 20 ? "\"2.4x\"" : "2.5" }
        let text = TrainerStateFixture.text(rows: rows, globalStep: 30)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("2.4x") }! + 1
        let error = expectError(
            TrainerStateReader.ReadError.self,
            mentioning: ["trainer_state.json:\(line)", "field 'log_history[1].loss'", "\"2.4x\"", "not a number"]
        ) {
            _ = try TrainerStateReader().parse(text, source: "trainer_state.json")
        }
        #expect(error?.line == line)

        var noStep = TrainerStateFixture.rows(lastStep: 20)
        noStep[1].members.removeAll { $0.0 == "step" }
        expectError(TrainerStateReader.ReadError.self, mentioning: ["trainer_state.json:", "log_history[1].step", "missing"]) {
            _ = try TrainerStateReader().parse(TrainerStateFixture.text(rows: noStep, globalStep: 20), source: "trainer_state.json")
        }
        expectError(TrainerStateReader.ReadError.self, mentioning: ["x.json", "'log_history'", "Hugging Face"]) {
            _ = try TrainerStateReader().parse("{\"global_step\": 3}", source: "x.json")
        }
    }

    @Test func halfWrittenFileNamesLineAndColumn() {
        let text = TrainerStateFixture.text(rows: TrainerStateFixture.rows(lastStep: 50), globalStep: 50)
        let cut = String(text.prefix(text.count / 2))
        expectError(TrainerStateReader.ReadError.self, mentioning: ["trainer_state.json:", "column", "not valid JSON", "half-written"]) {
            _ = try TrainerStateReader().parse(cut, source: "trainer_state.json")
        }
    }

    @Test func runDirectoryUsesTheHighestCheckpointAndSkipsTmp() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        for step in [500, 1000] {
            try directory.write(
                "checkpoint-\(step)/trainer_state.json",
                TrainerStateFixture.text(rows: TrainerStateFixture.rows(lastStep: step), globalStep: step))
        }
        // Numerically 1000 > 500 even though "checkpoint-500" sorts after "checkpoint-1000" as text.
        try directory.write("tmp-checkpoint-1500/trainer_state.json", "{\"log_history\": [")
        let log = try TrainerStateReader().readRunDirectory(directory.url)
        #expect(log[metric: "loss"]?.steps.last == 1000)
        #expect(log.source.hasSuffix("checkpoint-1000/trainer_state.json"))
        #expect(log.issues.isEmpty)
    }

    @Test func brokenNewestCheckpointFallsBackWithAnIssue() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        try directory.write(
            "checkpoint-50/trainer_state.json", TrainerStateFixture.text(rows: TrainerStateFixture.rows(lastStep: 50), globalStep: 50))
        try directory.write("checkpoint-100/trainer_state.json", "{\n  \"log_history\": [\n    {\"loss\": ")
        let log = try TrainerStateReader().readRunDirectory(directory.url)
        #expect(log[metric: "loss"]?.steps.last == 50)
        let issue = try #require(log.issues.first)
        #expect(issue.kind == .checkpointSkipped)
        #expect(issue.message.contains("checkpoint-100/trainer_state.json:3"))
    }

    @Test func topLevelStateWinsWhenNewest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        try directory.write(
            "checkpoint-100/trainer_state.json", TrainerStateFixture.text(rows: TrainerStateFixture.rows(lastStep: 100), globalStep: 100))
        try directory.write(
            "trainer_state.json", TrainerStateFixture.text(rows: TrainerStateFixture.rows(lastStep: 150), globalStep: 150, final: true))
        let log = try TrainerStateReader().readRunDirectory(directory.url)
        #expect(log[metric: "loss"]?.steps.last == 150)
        #expect(log.source == directory.url.appendingPathComponent("trainer_state.json").path)
    }

    @Test func directoryWithoutStateIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        try directory.write("config.json", "{}")
        expectError(TrainerStateReader.ReadError.self, mentioning: [directory.url.path, "no trainer_state.json", "checkpoint-*"]) {
            _ = try TrainerStateReader().readRunDirectory(directory.url)
        }
    }
}

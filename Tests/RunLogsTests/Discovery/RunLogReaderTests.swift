import Foundation
import RunLogs
import Testing

@Suite struct RunLogReaderTests {
    @Test func detectsFilesByName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let cases: [(String, LogFormat)] = [
            ("a/trainer_state.json", .trainerState), ("b/events.out.tfevents.1.host", .tensorBoard),
            ("c/metrics.csv", .lightningCSV), ("d/log.jsonl", .jsonl), ("e/curve.csv", .csv),
        ]
        for (name, format) in cases {
            let file = try directory.write(name, "x")
            #expect(try RunLogReader.detect(file).format == format, "\(name)")
        }
        let state = try directory.write("f/state.json", "{\"log_history\": []}")
        #expect(try RunLogReader.detect(state).format == .trainerState)
        let other = try directory.write("g/config.yaml", "lr: 1")
        expectError(RunLogReader.DiscoveryError.self, mentioning: ["config.yaml", "not a known log format"]) {
            _ = try RunLogReader.detect(other)
        }
        expectError(RunLogReader.DiscoveryError.self, mentioning: ["nothing-here", "no such file"]) {
            _ = try RunLogReader.detect(directory.url.appendingPathComponent("nothing-here"))
        }
    }

    @Test func detectsAndReadsRunDirectories() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        try directory.write(
            "hf/checkpoint-20/trainer_state.json",
            TrainerStateFixture.text(rows: TrainerStateFixture.rows(lastStep: 20), globalStep: 20))
        try directory.write("hf/runs/Nov23_00-00-00_host/events.out.tfevents.1.host", [UInt8]())
        try directory.write("pl/version_0/metrics.csv", LightningCSVReaderTests.metrics)
        try directory.write("pl/version_0/hparams.yaml", "lr: 0.001\n")
        try directory.write("tb/events.out.tfevents.1.host", TFEventWriter.file(start: 1, steps: [(1, [("loss", 2)]), (2, [("loss", 1.5)])]))
        try directory.write("plain/curve.csv", "step,loss\n1,2.5\n2,2.4\n")

        let hf = try RunLogReader.read(directory.url.appendingPathComponent("hf"))
        #expect(hf.format == .trainerState)
        #expect(hf[metric: "loss"]?.steps == [10, 20])
        let pl = try RunLogReader.read(directory.url.appendingPathComponent("pl/version_0"))
        #expect(pl.format == .lightningCSV)
        #expect(pl[metric: "val_loss"]?.count == 2)
        let tb = try RunLogReader.read(directory.url.appendingPathComponent("tb"))
        #expect(tb.format == .tensorBoard)
        #expect(tb[metric: "loss"]?.values == [2, 1.5])
        let plain = try RunLogReader.read(directory.url.appendingPathComponent("plain"))
        #expect(plain[metric: "loss"]?.count == 2)
    }

    @Test func unhelpfulDirectoriesListWhatTheyHold() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        try directory.write("empty/README.md", "hi")
        expectError(RunLogReader.DiscoveryError.self, mentioning: ["empty", "no run log found", "README.md"]) {
            _ = try RunLogReader.detect(directory.url.appendingPathComponent("empty"))
        }
        try directory.write("two/a.csv", "step,loss\n")
        try directory.write("two/b.jsonl", "{}\n")
        expectError(RunLogReader.DiscoveryError.self, mentioning: ["two", "a.csv", "b.jsonl", "point at one file"]) {
            _ = try RunLogReader.detect(directory.url.appendingPathComponent("two"))
        }
    }

    @Test func readErrorsComeFromTheChosenReader() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let file = try directory.write("bad.csv", "step,loss\n1,x\n")
        expectError(CSVLogReader.ReadError.self, mentioning: ["bad.csv:2", "column 'loss'"]) {
            _ = try RunLogReader.read(file)
        }
    }
}

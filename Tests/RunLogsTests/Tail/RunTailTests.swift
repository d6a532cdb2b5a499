import Foundation
import RunLogs
import Testing

@Suite struct RunTailTests {
    @Test func tensorBoardDirectoryPicksUpTheResumedRunsFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let firstName = "events.out.tfevents.1000.host.11.0"
        try directory.write(firstName, TFEventWriter.file(start: 1_000, steps: [(10, [("loss", 3.0)]), (20, [("loss", 2.5)]), (30, [("loss", 2.25)])]))
        var tail = try RunTail(path: directory.url)
        #expect(tail.detection.format == .tensorBoard)
        var update = try tail.poll()
        #expect(update.changed)
        #expect(update.log[metric: "loss"]?.steps == [10, 20, 30])
        #expect(try tail.poll().changed == false)

        // The job crashed after step 30 and resumed from its step-20 checkpoint in a new file.
        let secondName = "events.out.tfevents.2000.host.12.0"
        try directory.write(secondName, TFEventWriter.file(start: 2_000, steps: [(20, [("loss", 2.4375)])]))
        update = try tail.poll()
        #expect(update.changed)
        #expect(update.log[metric: "loss"]?.steps == [10, 20])
        #expect(update.log[metric: "loss"]?.values == [3.0, 2.4375])
        #expect(update.log.issues.contains { $0.kind == .resumedStepsReplaced && $0.message.contains(secondName) })

        try directory.append(secondName, TFEventWriter.record(TFEventWriter.event(wallTime: 2_010, step: 30, scalars: [("loss", 2.125)])))
        update = try tail.poll()
        #expect(update.log[metric: "loss"]?.values == [3.0, 2.4375, 2.125])
        // The same as a one-shot read of the directory.
        let oneShot = try TensorBoardReader().readRunDirectory(directory.url)
        #expect(oneShot[metric: "loss"]?.points == update.log[metric: "loss"]?.points)
    }

    @Test func trainerStateIsReReadOnlyWhenItChanges() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        try directory.write(
            "checkpoint-50/trainer_state.json", TrainerStateFixture.text(rows: TrainerStateFixture.rows(lastStep: 50), globalStep: 50))
        var tail = try RunTail(path: directory.url)
        var update = try tail.poll()
        #expect(update.changed)
        #expect(update.log[metric: "loss"]?.steps.last == 50)
        #expect(try tail.poll().changed == false)
        try directory.write(
            "checkpoint-100/trainer_state.json", TrainerStateFixture.text(rows: TrainerStateFixture.rows(lastStep: 100), globalStep: 100))
        update = try tail.poll()
        #expect(update.changed)
        #expect(update.log[metric: "loss"]?.steps.last == 100)
        #expect(update.log[metric: "eval_loss"]?.steps == [50, 100])
    }

    @Test func singleFilesUseTailReader() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let file = try directory.write("pl/metrics.csv", "epoch,step,train_loss\r\n0,49,2.31\r\n")
        var tail = try RunTail(path: file.deletingLastPathComponent())
        #expect(tail.detection.format == .lightningCSV)
        #expect(try tail.poll().log[metric: "train_loss"]?.count == 1)
        try directory.append("pl/metrics.csv", "0,99,2.05\r\n")
        let update = try tail.poll()
        #expect(update.changed)
        #expect(update.log[metric: "train_loss"]?.steps == [49, 99])
    }
}

@testable import Daemon
import EarlyStopping
import Foundation
import RunLogs
import Testing

struct RunObservationTests {
    func observe(_ csv: String, study: StudyConfiguration = StudyConfiguration(horizon: 1_000)) throws -> RunObservation {
        let log = try CSVLogReader(options: .init(valueColumns: [study.metric])).parse(csv, source: "r.csv")
        return RunObservation.of(log, study: study)
    }

    func problem(_ observation: RunObservation) -> String? {
        if case .problem(let message, _) = observation { return message }
        return nil
    }

    @Test func pointsOfTheMetric() throws {
        guard case .points(let steps, let values, let issues, let format) = try observe("step,loss\n1,3\n2,nan\n3,2.5\n") else {
            Issue.record("expected points")
            return
        }
        #expect(steps == [1, 3] && values == [3, 2.5] && format == .csv)
        #expect(issues.count == 1 && issues[0].contains("NaN"))
    }

    @Test func valuesTheModelCannotTakeAreProblemsNamingTheLine() throws {
        #expect(problem(try observe("step,loss\n1,3\n2,0\n"))?.hasPrefix("r.csv:3: metric 'loss': value 0 is not positive") == true)
        #expect(problem(try observe("step,loss\n0,3\n2,2\n"))?.hasPrefix("r.csv:2: metric 'loss': step 0 is not positive") == true)
        var accuracy = StudyConfiguration(horizon: 1_000)
        accuracy.direction = .maximize
        accuracy.metric = "acc"
        #expect(problem(try observe("step,acc\n1,0.5\n2,1.0\n", study: accuracy))?.contains("outside [0, 1)") == true)
        #expect(problem(try observe("step,acc\n1,0.5\n2,0.7\n", study: accuracy)) == nil)
    }

    @Test func aLogWithoutTheMetricWaitsWhileEmptyAndIsAProblemOnceOthersHavePoints() {
        let empty = RunLog(source: "r", format: .tensorBoard, metrics: [], learningRate: nil, issues: [], pending: [])
        guard case .points(let steps, _, _, _) = RunObservation.of(empty, study: StudyConfiguration(horizon: 10)) else {
            Issue.record("an empty log waits")
            return
        }
        #expect(steps.isEmpty)
        let other = RunLog(
            source: "r", format: .tensorBoard,
            metrics: [MetricSeries(name: "val_loss", source: "r", points: [MetricPoint(step: 1, value: 2, location: .byte(0, in: "r"))])],
            learningRate: nil, issues: [], pending: [])
        #expect(problem(RunObservation.of(other, study: StudyConfiguration(horizon: 10)))?.contains("no metric 'loss' in the log (it has val_loss)") == true)
    }

    @Test func runIDs() {
        #expect(RunID.make(fromEntry: "lr-3e-4.csv", isDirectory: false) == "lr-3e-4")
        #expect(RunID.make(fromEntry: "lr-3e-4.csv", isDirectory: false, keepExtension: true) == "lr-3e-4.csv")
        #expect(RunID.make(fromEntry: "trial 7.v2", isDirectory: true) == "trial_7.v2")
        #expect(RunID.make(fromEntry: "é.csv", isDirectory: false) == "__")
        #expect(RunID.isValid("a-b_c.1") && !RunID.isValid(".hidden") && !RunID.isValid("") && !RunID.isValid("a/b"))
        #expect(!RunID.isValid(String(repeating: "a", count: 129)))
    }

    @Test func jsonOutput() {
        let value = JSON.object([
            ("s", .string("a\"b\\c\nd\u{01}é")), ("n", .number(0.1)), ("i", .number(3)), ("x", .number(.nan)),
            ("a", .array([.null, .bool(true), .integer(-2)])), ("e", .encoded(Array("{\"k\":1}".utf8))),
        ])
        #expect(value.text == #"{"s":"a\"b\\c\nd\u0001é","n":0.1,"i":3,"x":null,"a":[null,true,-2],"e":{"k":1}}"#)
        let parsed = (try? JSONSerialization.jsonObject(with: Data(value.bytes))) as? [String: Any]
        #expect(parsed?["s"] as? String == "a\"b\\c\nd\u{01}é")
    }
}

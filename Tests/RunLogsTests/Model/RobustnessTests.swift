import RunLogs
import Testing

/// Damaged input must give a log or a `ReadError`, never a crash: a daemon reads whatever
/// training jobs leave behind.
@Suite struct RobustnessTests {
    /// A small deterministic generator (64-bit LCG, Knuth's MMIX constants).
    struct LCG {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func everyPrefixOfAnEventFileIsCompleteOrPending() throws {
        let steps: [(Int64, [(String, Double)])] = (0..<6).map { (Int64($0), [("loss", 2.0 + Double($0))]) }
        let bytes = TFEventWriter.file(start: 3, steps: steps)
        var boundaries = [0]
        boundaries.append(boundaries.last! + TFEventWriter.record(TFEventWriter.fileVersionEvent(wallTime: 3)).count)
        for (index, step) in steps.enumerated() {
            let record = TFEventWriter.record(TFEventWriter.event(wallTime: 3 + Double(index + 1), step: step.0, scalars: step.1))
            boundaries.append(boundaries.last! + record.count)
        }
        #expect(boundaries.last == bytes.count)
        for cut in 0...bytes.count {
            let log = try TensorBoardReader().parse(Array(bytes.prefix(cut)), source: "ev")
            let complete = boundaries.lastIndex { $0 <= cut }!
            #expect(log[metric: "loss"]?.count ?? 0 == max(0, complete - 1), "cut \(cut)")
            #expect(log.pending.isEmpty == boundaries.contains(cut), "cut \(cut)")
            #expect(log.pending.first.map { $0.offset + $0.byteCount } ?? cut == cut)
        }
    }

    @Test func corruptedEventBytesNeverCrash() {
        let steps: [(Int64, [(String, Double)])] = (0..<8).map { (Int64($0 * 5), [("train/loss", 3.0 / Double($0 + 1))]) }
        let original = TFEventWriter.file(start: 9, steps: steps, encoding: .tensorContentFloat)
        var random = LCG(state: 42)
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + random.next(4)) { bytes[random.next(bytes.count)] = UInt8(random.next(256)) }
            for policy in [TensorBoardReader.CorruptRecordPolicy.fail, .skip] {
                do {
                    _ = try TensorBoardReader(options: .init(corruptRecords: policy)).parse(bytes, source: "ev")
                } catch {
                    #expect(error.description.hasPrefix("ev"))
                }
            }
        }
    }

    @Test func damagedTextLogsNeverCrash() {
        let csv = Array(CSVLogReaderTests.curve.utf8)
        let lightning = Array(LightningCSVReaderTests.metrics.utf8)
        let jsonl = Array(JSONLLogReaderTests.log.utf8)
        let state = Array(TrainerStateFixture.text(rows: TrainerStateFixture.rows(lastStep: 60), globalStep: 60).utf8)
        let alphabet = Array("0123456789,.\"\r\n{}[]:eE-+ abcNaN\\u".utf8)
        var random = LCG(state: 7)
        for _ in 0..<200 {
            func damage(_ bytes: [UInt8]) -> String {
                var copy = Array(bytes.prefix(random.next(bytes.count + 1)))
                for _ in 0..<random.next(3) where !copy.isEmpty {
                    copy[random.next(copy.count)] = alphabet[random.next(alphabet.count)]
                }
                return String(decoding: copy, as: UTF8.self)
            }
            do { _ = try CSVLogReader().parse(damage(csv), source: "c.csv") } catch { #expect(error.description.hasPrefix("c.csv")) }
            do { _ = try LightningCSVReader().parse(damage(lightning), source: "m.csv") } catch {
                #expect(error.description.hasPrefix("m.csv"))
            }
            do { _ = try JSONLLogReader().parse(damage(jsonl), source: "l.jsonl") } catch {
                #expect(error.description.hasPrefix("l.jsonl"))
            }
            do { _ = try TrainerStateReader().parse(damage(state), source: "t.json") } catch {
                #expect(error.description.hasPrefix("t.json"))
            }
        }
    }
}

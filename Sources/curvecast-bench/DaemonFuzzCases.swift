import Foundation
import Sampling

/// Malformed inputs for `curvecast-bench daemon-fuzz`: run logs the readers must refuse, and
/// HTTP requests the server must refuse. Each generator makes input that is wrong for sure (not
/// a mutation that may still be valid), so every case has an expected outcome.
enum DaemonFuzzCases {
    /// A malformed run: a file or a directory in the runs folder, and what its error must say.
    struct Run {
        var name: String
        /// Files to write, relative to the runs folder (a directory run has `name/...` paths).
        var files: [(path: String, bytes: [UInt8])]
        var isDirectory: Bool
        /// Substrings the run's error must contain (the entry's name is always checked too).
        var expected: [String]
        var kind: String
        /// For logs: the malformed line, appended once the daemon has read the good part (so the
        /// incremental tail reading meets it); nil when the whole entry is written at once.
        var appended: [UInt8]? = nil
    }

    static let runKinds = [
        "csv: value not a number", "csv: wrong field count", "csv: step not a number", "csv: empty step",
        "csv: infinite step", "csv: quote syntax", "csv: zero loss", "csv: negative loss", "csv: negative step",
        "csv: no loss column", "csv: random bytes", "jsonl: invalid JSON", "jsonl: not an object",
        "jsonl: step a string", "jsonl: loss a string", "jsonl: loss a boolean", "jsonl: step missing",
        "jsonl: nested too deep", "jsonl: zero loss", "unknown extension", "directory: two logs",
        "directory: empty", "trainer_state.json: not JSON", "tensorboard: corrupt record", "lightning: value not a number",
    ]

    /// The malformed run number `index` of kind `kind`, with 0-5 good rows before the bad one.
    static func run(kind: Int, name base: String, rng: inout Xoshiro256StarStar) -> Run {
        let good = Int(rng.next() % 6)
        let steps = (1...max(good, 1)).map { 100 * $0 }
        let csvGood = (0..<good).map { "\(steps[$0]),\(3.0 - 0.1 * Double($0))\n" }.joined()
        let jsonGood = (0..<good).map { #"{"step": \#(steps[$0]), "loss": \#(3.0 - 0.1 * Double($0))}"# + "\n" }.joined()
        let line = good + 2  // the bad line of a CSV (after the header); JSONL has no header
        let step = 100 * (good + 1)
        func csv(_ bad: String, header: String = "step,loss", expected: [String]) -> Run {
            let name = base + ".csv"
            return Run(name: name, files: [(name, Array("\(header)\n\(csvGood)".utf8))], isDirectory: false,
                       expected: expected, kind: runKinds[kind], appended: Array("\(bad)\n".utf8))
        }
        func jsonl(_ bad: String, expected: [String]) -> Run {
            let name = base + ".jsonl"
            // An empty JSONL file is an error of its own: start from one good line at least.
            let start = jsonGood.isEmpty ? #"{"step": 50, "loss": 3.5}"# + "\n" : jsonGood
            let shift = jsonGood.isEmpty ? 1 : 0
            return Run(name: name, files: [(name, Array(start.utf8))], isDirectory: false,
                       expected: expected.map { $0.replacingOccurrences(of: ":\(line - 1):", with: ":\(line - 1 + shift):") },
                       kind: runKinds[kind], appended: Array("\(bad)\n".utf8))
        }
        func directory(_ files: [(String, [UInt8])], expected: [String]) -> Run {
            Run(name: base, files: files.map { (base + "/" + $0.0, $0.1) }, isDirectory: true, expected: expected, kind: runKinds[kind])
        }
        let garbage = ["abc", "1.2.3", "--1", "1e", "NaNx", "0x", "∞", "3,5"]
        switch kind {
        case 0:
            let token = garbage[Int(rng.next() % UInt64(garbage.count - 1))]
            return csv("\(step),\(token)", expected: [":\(line): column 'loss'", "is not a number"])
        case 1: return csv("\(step),2.0,7", expected: [":\(line): row has 3 fields"])
        case 2: return csv("x\(step),2.0", expected: [":\(line): column 'step'", "is not a number"])
        case 3: return csv(",2.0", expected: [":\(line): column 'step': the step is empty"])
        case 4: return csv("inf,2.0", expected: [":\(line): column 'step'", "not finite"])
        case 5: return csv("\"\(step)\"x,2.0", expected: [":\(line):", "closing quote"])
        case 6: return csv("\(step),0", expected: [":\(line): metric 'loss': value 0 is not positive"])
        case 7: return csv("\(step),-1.5", expected: [":\(line): metric 'loss': value -1.5 is not positive"])
        case 8: return csv("-5,2.0", expected: [":\(line): metric 'loss': step -5 is not positive"])
        case 9: return csv("\(step),2.0", header: "step,lossy", expected: ["no column 'loss'"])
        case 10:
            var bytes = (0..<(8 + Int(rng.next() % 200))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // No line breaks, and no '"': an unterminated quote would make the rest of the file
            // an incomplete record, which a tail reader waits for (listed as an issue, not an error).
            bytes = bytes.map { $0 == 0x0A || $0 == 0x0D || $0 == 0x22 ? 0x41 : $0 } + [0x0A]
            let name = base + ".csv"
            return Run(name: name, files: [(name, bytes)], isDirectory: false, expected: [], kind: runKinds[kind])
        case 11: return jsonl(#"{"step": \#(step), "loss": "#, expected: [":\(line - 1): column", "not valid JSON"])
        case 12: return jsonl("[\(step), 2.0]", expected: [":\(line - 1): line is not a JSON object"])
        case 13: return jsonl(#"{"step": "abc", "loss": 2.0}"#, expected: [":\(line - 1): key 'step'"])
        case 14: return jsonl(#"{"step": \#(step), "loss": "low"}"#, expected: [":\(line - 1): key 'loss'"])
        case 15: return jsonl(#"{"step": \#(step), "loss": true}"#, expected: [":\(line - 1): key 'loss'"])
        case 16: return jsonl(#"{"loss": 2.0}"#, expected: [":\(line - 1): key 'step': missing"])
        case 17:
            return jsonl(#"{"step": \#(step), "loss": "# + String(repeating: "[", count: 600 + Int(rng.next() % 400)),
                         expected: [":\(line - 1):", "not valid JSON"])
        case 18: return jsonl(#"{"step": \#(step), "loss": 0}"#, expected: ["metric 'loss': value 0 is not positive"])
        case 19:
            let name = base + ".txt"
            return Run(name: name, files: [(name, Array("step,loss\n1,2\n".utf8))], isDirectory: false,
                       expected: ["not a known log format"], kind: runKinds[kind])
        case 20:
            return directory([("a.csv", Array("step,loss\n1,2\n".utf8)), ("b.jsonl", Array("{\"step\":1,\"loss\":2}\n".utf8))],
                             expected: ["several possible logs"])
        case 21: return directory([], expected: ["no run log found"])
        case 22:
            return directory([("trainer_state.json", Array(#"{"log_history": [{"step": 1, "loss": "#.utf8))], expected: ["trainer_state.json"])
        case 23:
            let bytes = (0..<(16 + Int(rng.next() % 64))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            return directory([("events.out.tfevents.1700000000.fuzz", bytes)], expected: ["events.out.tfevents.1700000000.fuzz"])
        default:
            return directory([("metrics.csv", Array("epoch,step,train_loss\n0,10,2.5\n0,20,abc\n".utf8))],
                             expected: ["metrics.csv:3", "is not a number"])
        }
    }

    /// A malformed HTTP request and whether the server must answer it (a truncated request
    /// followed by the client's end of stream is simply closed).
    struct Request {
        var bytes: [UInt8]
        var expectsAnswer: Bool
        var kind: String
    }

    static let requestKinds = [
        "random bytes", "bad method", "bad version", "header without colon", "folded header", "oversized headers",
        "oversized request line", "body too large", "bad Content-Length", "chunked body", "bad percent-encoding",
        "control character in a header", "absolute-form target", "unknown path", "wrong method", "push: not JSON",
        "push: bad points", "forecast: bad parameters", "push: bad run id", "truncated request", "NUL in request line",
    ]

    static func request(kind: Int, rng: inout Xoshiro256StarStar, run: String) -> Request {
        func text(_ value: String, answer: Bool = true) -> Request {
            Request(bytes: Array(value.utf8), expectsAnswer: answer, kind: requestKinds[kind])
        }
        func random(_ count: Int, from alphabet: [UInt8]? = nil) -> String {
            let bytes = (0..<count).map { _ in alphabet.map { $0[Int(rng.next() % UInt64($0.count))] } ?? UInt8(truncatingIfNeeded: rng.next()) }
            return String(decoding: bytes, as: UTF8.self)
        }
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        switch kind {
        case 0:
            var bytes = (0..<(1 + Int(rng.next() % 300))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Never a valid start of a request line: a control byte first.
            bytes[0] = UInt8(rng.next() % 9) + 1
            return Request(bytes: bytes + Array("\r\n\r\n".utf8), expectsAnswer: true, kind: requestKinds[kind])
        case 1: return text("G(\(random(3, from: letters)) / HTTP/1.1\r\nHost: x\r\n\r\n")
        case 2: return text("GET /healthz HTTP/\(rng.next() % 9 + 2).\(rng.next() % 10)\r\n\r\n")
        case 3: return text("GET /runs HTTP/1.1\r\n\(random(10, from: letters))\r\n\r\n")
        case 4: return text("GET /runs HTTP/1.1\r\nX-A: 1\r\n  \(random(5, from: letters))\r\n\r\n")
        case 5: return text("GET /runs HTTP/1.1\r\nX-Big: \(random(9_000, from: letters))\r\n\r\n")
        case 6: return text("GET /\(random(9_000, from: letters)) HTTP/1.1\r\n\r\n")
        case 7: return text("POST /runs/\(run)/points HTTP/1.1\r\nContent-Length: \(2_000_000 + rng.next() % 1_000_000)\r\n\r\n{")
        case 8: return text("POST /runs/\(run)/points HTTP/1.1\r\nContent-Length: \(["abc", "-1", "1,2", "", "0x10", "1 2"][Int(rng.next() % 6)])\r\n\r\n")
        case 9: return text("POST /runs/\(run)/points HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        case 10: return text("GET /runs/%\(["zz", "g0", "", "4", "ff%fe", "00"][Int(rng.next() % 6)])/decision HTTP/1.1\r\n\r\n")
        case 11: return text("GET /runs HTTP/1.1\r\nX-C: a\u{01}\(random(3, from: letters))\r\n\r\n")
        case 12: return text("GET http://localhost/runs HTTP/1.1\r\n\r\n")
        case 13: return text("GET /\(random(6, from: letters))/\(random(4, from: letters)) HTTP/1.1\r\n\r\n")
        case 14: return text("\(["DELETE", "PUT", "PATCH", "POST"][Int(rng.next() % 4)]) /runs/\(run)/decision HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        case 15:
            let body = "~" + random(Int(rng.next() % 100), from: Array("{}[]:,\"0123456789abc ".utf8))
            return text("POST /runs/fuzz-push/points HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        case 16:
            let bodies = [#"{"step": "1", "value": 2}"#, #"{"step": -1, "value": 2}"#, #"{"step": 1}"#, #"[{"step": 1, "value": null}]"#,
                          #"{"points": [{"step": 0, "value": 1}]}"#, #"{"points": []}"#, #"[1, 2, 3]"#, #"{"step": 1e999, "value": 1}"#]
            let body = bodies[Int(rng.next() % UInt64(bodies.count))]
            return text("POST /runs/fuzz-push/points HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        case 17:
            let query = ["at=", "at=-1", "at=abc", "quantiles=2", "at=1,,2", "bogus=1", "at=nan"][Int(rng.next() % 7)]
            return text("GET /runs/\(run)/forecast?\(query) HTTP/1.1\r\n\r\n")
        case 18:
            let id = [".hidden", "a%20b", "%C3%A9t%C3%A9", String(repeating: "x", count: 200)][Int(rng.next() % 4)]
            let body = #"{"step": 1, "value": 2.0}"#
            return text("POST /runs/\(id)/points HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        case 19:
            let full = "POST /runs/\(run)/points HTTP/1.1\r\nContent-Length: 30\r\n\r\n{\"step\": 1"
            return text(String(full.prefix(1 + Int(rng.next() % UInt64(full.count - 1)))), answer: false)
        default:
            return text("GET /ru\u{0}ns HTTP/1.1\r\n\r\n")
        }
    }
}

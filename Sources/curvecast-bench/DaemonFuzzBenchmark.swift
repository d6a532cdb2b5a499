import Foundation
import Sampling
import TestSupport

/// `curvecast-bench daemon-fuzz`: bad input against the release `curvecast watch`.
///
/// - **Logs**: `rounds` x `files` malformed runs (25 kinds: bad cells, field counts, quoting,
///   values the model cannot take, broken JSON lines, unknown files, ambiguous or empty run
///   directories, corrupt TensorBoard records, ...), written into the runs folder next to three
///   good runs; in CSV and JSONL logs the malformed line is appended after the daemon has read
///   the good lines before it. After each round every malformed run must be listed by GET /runs/{id} with an
///   error naming its file (and the line, where there is one) and must have decision "error";
///   the good runs must keep their decisions.
/// - **HTTP**: `requests` malformed requests (21 kinds), each on its own connection: every one
///   must get a 4xx (or 505) JSON answer, except truncated requests, which are simply closed.
///   Meanwhile 20 slowloris connections trickle a request a byte at a time and must get 408.
///   Every 1,000 requests the daemon must still answer /healthz and a good run's decision.
enum DaemonFuzzBenchmark {
    static func run(rounds: Int, files: Int, requests: Int, seed: UInt64, keep: Bool) -> Bool {
        let root = URL(fileURLWithPath: "/tmp/curvecast-fuzz-\(getpid())")
        defer { if !keep { try? FileManager.default.removeItem(at: root) } }
        do {
            try? FileManager.default.removeItem(at: root)
            let runs = root.appendingPathComponent("runs")
            let good = try RunFeeder(folder: runs, runCount: 3, initialPoints: 20)
            try good.prepare()
            let listen = LoopbackHTTPClient.Address.unix(root.appendingPathComponent("api.sock").path)
            let daemon = DaemonProcess(runs: runs, state: root.appendingPathComponent("state"), listen: listen,
                                       arguments: ["--horizon", "83475", "--poll-seconds", "0.2"], logFile: root.appendingPathComponent("daemon.log"))
            let machine = MachineLoad()
            try daemon.start()
            let client = LoopbackHTTPClient(listen, timeout: 10)
            var rng = Xoshiro256StarStar(seed: seed)
            var problems: [String] = []
            print("daemon-fuzz: \(rounds * files) malformed runs (\(DaemonFuzzCases.runKinds.count) kinds), \(requests) malformed requests (\(DaemonFuzzCases.requestKinds.count) kinds), seed \(seed); logs in \(root.path)")

            // Malformed logs.
            let logsStart = Clock.now()
            var reported = 0
            var byKind: [String: Int] = [:]
            for round in 0..<rounds {
                var cases: [DaemonFuzzCases.Run] = []
                for index in 0..<files {
                    let kind = Int(rng.next() % UInt64(DaemonFuzzCases.runKinds.count))
                    let entry = DaemonFuzzCases.run(kind: kind, name: String(format: "fuzz-%03d-%03d", round, index), rng: &rng)
                    if entry.isDirectory { try FileManager.default.createDirectory(at: runs.appendingPathComponent(entry.name), withIntermediateDirectories: true) }
                    for file in entry.files { try Data(file.bytes).write(to: runs.appendingPathComponent(file.path)) }
                    cases.append(entry)
                }
                // The logs' malformed lines are appended once the daemon has read the good part
                // (its decision is out), so that the incremental reading meets them.
                var unread = cases.filter { $0.appended != nil }
                let readDeadline = Clock.now() + 15
                while !unread.isEmpty, Clock.now() < readDeadline {
                    Thread.sleep(forTimeInterval: 0.1)
                    unread = unread.filter { (try? client.request("GET", "/runs/\(runID($0))"))?.object?["decision"] is NSNull }
                }
                for entry in cases {
                    guard let line = entry.appended else { continue }
                    let handle = try FileHandle(forWritingTo: runs.appendingPathComponent(entry.name))
                    try handle.seekToEnd()
                    try handle.write(contentsOf: Data(line))
                    try handle.close()
                }
                // Every malformed run is reported with its error within 15 s.
                var pending = cases
                let deadline = Clock.now() + 15
                while !pending.isEmpty, Clock.now() < deadline {
                    Thread.sleep(forTimeInterval: 0.1)
                    pending = pending.filter { entry in !isReported(entry, client: client) }
                }
                reported += cases.count - pending.count
                for entry in cases { byKind[entry.kind, default: 0] += 1 }
                for entry in pending.prefix(5) {
                    let detail = (try? client.request("GET", "/runs/\(runID(entry))"))?.text.prefix(300) ?? "no answer"
                    problems.append("\(entry.name) (\(entry.kind)) not reported as expected \(entry.expected): \(detail)")
                }
                for entry in cases { try? FileManager.default.removeItem(at: runs.appendingPathComponent(entry.name)) }
                for index in 0..<3 where (try? client.request("GET", "/runs/\(RunFeeder.runID(index))/decision"))?.object?["decision"] as? String == "error" {
                    problems.append("round \(round): good run \(RunFeeder.runID(index)) has an error decision")
                }
                FileHandle.standardError.write(Data("\r  logs: round \(round + 1)/\(rounds), \(reported) reported   ".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            let logsSeconds = Clock.now() - logsStart
            print(String(format: "malformed runs: %d of %d reported with their error (file, line, field) and decision \"error\" in %.0f s",
                         reported, rounds * files, logsSeconds))

            // Malformed requests, with slowloris connections alongside.
            let slow = Slowloris(listen: listen, count: 20)
            slow.start()
            var outcomes: [String: Int] = [:]
            var unexpected: [String: Int] = [:]
            let requestsStart = Clock.now()
            let raw = LoopbackHTTPClient(listen, timeout: 10)
            for index in 0..<requests {
                let kind = Int(rng.next() % UInt64(DaemonFuzzCases.requestKinds.count))
                let request = DaemonFuzzCases.request(kind: kind, rng: &rng, run: RunFeeder.runID(0))
                var answer: [UInt8] = []
                var timedOut = false
                do { answer = try raw.raw(request.bytes) } catch { timedOut = true }
                let text = String(decoding: answer.prefix(64), as: UTF8.self)
                let status = text.hasPrefix("HTTP/1.1 ") ? Int(text.dropFirst(9).prefix(3)) : nil
                let outcome = timedOut ? "no answer in 10 s" : status.map(String.init) ?? (answer.isEmpty ? "closed" : "garbage")
                outcomes[outcome, default: 0] += 1
                let isJSONError = answer.firstRange(of: Array("{\"error\":".utf8)) != nil
                let expected = request.expectsAnswer
                    ? (status.map { (400..<500).contains($0) || $0 == 505 } ?? false) && isJSONError
                    : answer.isEmpty && !timedOut
                if !expected { unexpected["\(request.kind) -> \(outcome)", default: 0] += 1 }
                if (index + 1) % 1_000 == 0 {
                    let health = try? client.request("GET", "/healthz")
                    let decision = try? client.request("GET", "/runs/\(RunFeeder.runID(1))/decision")
                    if health?.status != 200 || decision?.status != 200 || !daemon.isRunning {
                        problems.append("after \(index + 1) requests the daemon did not answer")
                    }
                    FileHandle.standardError.write(Data("\r  requests: \(index + 1)/\(requests)   ".utf8))
                }
            }
            FileHandle.standardError.write(Data("\n".utf8))
            let requestsSeconds = Clock.now() - requestsStart
            let slowResults = slow.finish()
            print(String(format: "malformed requests: %d in %.0f s; answers: %@", requests, requestsSeconds,
                         outcomes.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", ")))
            print("  unexpected answers: " + (unexpected.isEmpty ? "none" : unexpected.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", ")))
            print("slowloris: \(slowResults.timedOut) of \(slowResults.count) trickling connections got 408 after \(format(slowResults.seconds, 1)) s on average; the rest: \(slowResults.other)")
            let health = try client.request("GET", "/healthz").object ?? [:]
            print("daemon after the fuzz: running \(daemon.isRunning), /healthz \(health["status"] as? String ?? "?"), runs \(health["runs"] as? Int ?? -1), requests refused \(health["requests_refused"] as? Int ?? -1)")
            let stop = daemon.terminate()
            let daemonCPU = daemon.cpuSeconds + (MachineLoad.cpuSeconds(pid: getpid()) ?? 0)
            print(String(format: "SIGTERM: exited in %.2f s with status %@", stop.seconds, stop.status.map { "\($0)" } ?? "none (killed)"))
            print("machine: " + machine.report(ownCPU: daemonCPU, ownPIDs: daemon.allPIDs.union([getpid()])))
            for problem in problems.prefix(20) { print("  PROBLEM \(problem)") }
            let ok = problems.isEmpty && reported == rounds * files && unexpected.isEmpty
                && slowResults.timedOut == slowResults.count && stop.status == 0
            print("SUMMARY daemon-fuzz: \(reported)/\(rounds * files) malformed runs reported, \(requests - unexpected.values.reduce(0, +))/\(requests) malformed requests refused as expected, \(slowResults.timedOut)/\(slowResults.count) slowloris cut off, daemon \(stop.status == 0 ? "served to the end and exited 0" : "FAILED"): \(ok ? "PASS" : "MISS")")
            return ok
        } catch {
            print("daemon-fuzz: \(error)")
            return false
        }
    }

    /// The run id the daemon gives an entry (its name without the extension, for files).
    static func runID(_ entry: DaemonFuzzCases.Run) -> String {
        guard !entry.isDirectory, let dot = entry.name.lastIndex(of: ".") else { return entry.name }
        return String(entry.name[..<dot])
    }

    /// Whether GET /runs/{id} lists the run with an error naming its file and the expected
    /// details, and its decision is "error".
    static func isReported(_ entry: DaemonFuzzCases.Run, client: LoopbackHTTPClient) -> Bool {
        guard let run = try? client.request("GET", "/runs/\(runID(entry))").object,
              let error = run["error"] as? String, run["decision"] as? String == "error" else { return false }
        return error.contains(entry.name) && entry.expected.allSatisfy { error.contains($0) }
    }
}

/// Connections that send a valid request one byte every 0.5 s: the server must answer each
/// with 408 when its request timeout passes, and go on serving everyone else meanwhile.
final class Slowloris: @unchecked Sendable {
    private let listen: LoopbackHTTPClient.Address
    let count: Int
    private let lock = NSLock()
    private var results: [(status: Int?, seconds: Double)] = []
    private let group = DispatchGroup()

    init(listen: LoopbackHTTPClient.Address, count: Int) {
        self.listen = listen
        self.count = count
    }

    func start() {
        for _ in 0..<count {
            group.enter()
            Thread { [self] in
                let request = Array("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: \(String(repeating: "z", count: 200))\r\n\r\n".utf8)
                let client = LoopbackHTTPClient(listen, timeout: 30)
                let started = Clock.now()
                let answer = (try? client.trickle(request, every: 0.5)) ?? []
                let text = String(decoding: answer.prefix(12), as: UTF8.self)
                let status = text.hasPrefix("HTTP/1.1 ") ? Int(text.dropFirst(9).prefix(3)) : nil
                lock.lock()
                results.append((status, Clock.now() - started))
                lock.unlock()
                group.leave()
            }.start()
        }
    }

    /// Waits for every connection; how many got 408, after how long on average, and the rest.
    func finish() -> (count: Int, timedOut: Int, seconds: Double, other: String) {
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        let timedOut = results.filter { $0.status == 408 }
        let other = results.filter { $0.status != 408 }.map { $0.status.map(String.init) ?? "no answer" }
        return (results.count, timedOut.count, timedOut.map(\.seconds).reduce(0, +) / Double(max(timedOut.count, 1)),
                other.isEmpty ? "none" : other.joined(separator: ", "))
    }
}

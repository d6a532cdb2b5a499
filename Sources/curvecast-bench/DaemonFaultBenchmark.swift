import Foundation
import Sampling
import TestSupport

/// `curvecast-bench daemon-faults`: kill -9 at random moments during the load, restart, and
/// check that nothing was lost.
///
/// The runs grow as in `daemon-load` (a point per run per second) while the daemon is killed
/// with SIGKILL `kills` times, at moments drawn uniformly from 2 to 8 s apart (fixed seed), and
/// restarted at once with the same state folder. After each kill:
/// - on disk, before the restart: every run's decision file is present, one complete JSON
///   object, and its `last_step` is not behind what a reader had already seen (nothing lost);
/// - after the restart: GET /runs/{id}/decision answers every run with complete JSON at once;
///   the temporary files the kill left are gone;
/// - at the end every run catches up with its log; the decision lag over the whole run (the
///   restarts included) is reported.
enum DaemonFaultBenchmark {
    static func run(runs: Int, kills: Int, seed: UInt64, unixSocket: Bool, keep: Bool) -> Bool {
        let root = URL(fileURLWithPath: "/tmp/curvecast-faults-\(getpid())")
        defer { if !keep { try? FileManager.default.removeItem(at: root) } }
        do {
            try? FileManager.default.removeItem(at: root)
            let feeder = try RunFeeder(folder: root.appendingPathComponent("runs"), runCount: runs, initialPoints: 10)
            try feeder.prepare()
            let listen: LoopbackHTTPClient.Address = unixSocket
                ? .unix(root.appendingPathComponent("api.sock").path) : .tcp(port: DaemonProcess.freePort())
            let daemon = DaemonProcess(runs: feeder.folder, state: root.appendingPathComponent("state"), listen: listen,
                                       arguments: ["--horizon", "83475"], logFile: root.appendingPathComponent("daemon.log"))
            let decisions = daemon.state.appendingPathComponent("decisions")
            let machine = MachineLoad()
            try daemon.start()
            let monitor = DecisionMonitor(decisions: decisions, feeder: feeder)
            while monitor.coveredCounts.contains(where: { $0 < feeder.initialPoints }) {
                monitor.sweep()
                Thread.sleep(forTimeInterval: 0.2)
            }
            print("daemon-faults: \(runs) runs growing a point per second, \(kills) kills -9 at random moments (seed \(seed)); logs in \(root.path)")
            feeder.start()
            let loadStart = Clock.now()
            monitor.resetCounts()
            monitor.start(interval: 0.2)
            var rng = Xoshiro256StarStar(seed: seed)
            var problems: [String] = []
            var restartSeconds: [Double] = []
            var leftTemporaries = 0
            for kill in 1...kills {
                Thread.sleep(forTimeInterval: 2 + 6 * rng.uniform())
                let seenBefore = monitor.coveredCounts
                daemon.kill9()
                // What a reader finds on disk with the daemon dead.
                let temporaries = Self.temporaries(in: daemon.state)
                leftTemporaries += temporaries.count
                for index in 0..<runs {
                    let url = decisions.appendingPathComponent(RunFeeder.runID(index) + ".json")
                    guard let data = try? Data(contentsOf: url) else {
                        problems.append("kill \(kill): \(url.lastPathComponent) missing")
                        continue
                    }
                    guard data.last == 0x0A, let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                        problems.append("kill \(kill): \(url.lastPathComponent) truncated or not JSON (\(data.count) bytes)")
                        continue
                    }
                    let covered = feeder.curves[index].steps.prefix { $0 <= (object["last_step"] as? Double ?? -1) }.count
                    if covered < seenBefore[index] {
                        problems.append("kill \(kill): \(url.lastPathComponent) went back from point \(seenBefore[index]) to \(covered)")
                    }
                }
                // Restart; every decision must be served at once, complete.
                restartSeconds.append(try daemon.start())
                let restartedAt = Clock.now()
                let client = LoopbackHTTPClient(listen, timeout: 5)
                for index in 0..<runs {
                    let response = try? client.request("GET", "/runs/\(RunFeeder.runID(index))/decision")
                    if response?.status != 200 || response?.object == nil {
                        problems.append("kill \(kill): GET \(RunFeeder.runID(index))/decision after the restart: \(response.map { "\($0.status)" } ?? "no answer")")
                    }
                }
                let stale = temporaries.filter { FileManager.default.fileExists(atPath: $0.path) }
                if !stale.isEmpty { problems.append("kill \(kill): \(stale.count) temporary file(s) still there after the restart") }
                print(String(format: "  kill %2d at %5.1f s: %d temporary file(s) left, %d decision files checked, restarted in %.2f s, all served in %.2f s",
                             kill, restartedAt - loadStart, temporaries.count, runs, restartSeconds.last ?? .nan, Clock.now() - restartedAt))
            }
            feeder.stop()
            // After the last kill: every run catches up with its log.
            let caughtUpStart = Clock.now()
            let target = feeder.times.map(\.count)
            while Clock.now() - caughtUpStart < 60, zip(monitor.coveredCounts, target).contains(where: { $0 < $1 }) {
                Thread.sleep(forTimeInterval: 0.1)
            }
            if zip(monitor.coveredCounts, target).contains(where: { $0 < $1 }) { problems.append("runs not caught up 60 s after the last restart") }
            let end = Clock.now()
            monitor.stop()
            let (lags, _) = monitor.lags(since: loadStart, end: end)
            let stop = daemon.terminate()
            let daemonCPU = daemon.cpuSeconds
            print(String(format: "restart to /healthz: median %.2f s, max %.2f s; decision lag over the whole run, restarts included: median %.1f s, p99 %.1f s, max %.1f s",
                         Stats.quantile(restartSeconds, 0.5), restartSeconds.max() ?? .nan,
                         Stats.quantile(lags, 0.5), Stats.quantile(lags, 0.99), lags.max() ?? .nan))
            print("temporary files left by the kills: \(leftTemporaries) (all removed at restart); decision reads while running: \(monitor.reads), torn: \(monitor.invalidReads.count)")
            let benchCPU = MachineLoad.cpuSeconds(pid: getpid()) ?? 0
            print(String(format: "daemon: %.0f CPU-s over its %d processes", daemonCPU, daemon.allPIDs.count))
            print("machine: " + machine.report(ownCPU: daemonCPU + benchCPU, ownPIDs: daemon.allPIDs.union([getpid()])))
            for problem in problems.prefix(20) { print("  PROBLEM \(problem)") }
            let ok = problems.isEmpty && monitor.invalidReads.isEmpty && stop.status == 0
            print("SUMMARY daemon-faults: \(kills) kills, \(problems.count) problems, \(monitor.invalidReads.count) torn reads, SIGTERM status \(stop.status.map { "\($0)" } ?? "none"): \(ok ? "PASS" : "MISS")")
            return ok
        } catch {
            print("daemon-faults: \(error)")
            return false
        }
    }

    static func temporaries(in state: URL) -> [URL] {
        ["decisions", "runs", "pushed"].flatMap { folder -> [URL] in
            let url = state.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { $0.hasPrefix(".tmp-") }.map { url.appendingPathComponent($0) }
        }
    }
}

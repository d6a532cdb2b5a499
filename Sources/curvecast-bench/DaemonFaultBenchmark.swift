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
///   the temporary files the kill left are gone; every run catches up with its log again.
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
            monitor.resetCounts()
            monitor.start(interval: 0.2)
            var rng = Xoshiro256StarStar(seed: seed)
            var problems: [String] = []
            var restartSeconds: [Double] = []
            var catchUpSeconds: [Double] = []
            var leftTemporaries = 0
            var daemonCPU = 0.0
            for kill in 1...kills {
                Thread.sleep(forTimeInterval: 2 + 6 * rng.uniform())
                let seenBefore = monitor.coveredCounts
                daemonCPU += daemon.cpuSeconds
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
                // Every run catches up with what its log had at the restart.
                let target = feeder.times.map(\.count)
                while Clock.now() - restartedAt < 60, zip(monitor.coveredCounts, target).contains(where: { $0 < $1 }) {
                    Thread.sleep(forTimeInterval: 0.1)
                }
                let caughtUp = Clock.now() - restartedAt
                if zip(monitor.coveredCounts, target).contains(where: { $0 < $1 }) { problems.append("kill \(kill): runs not caught up 60 s after the restart") }
                catchUpSeconds.append(caughtUp)
                print(String(format: "  kill %2d: %d temporary file(s) left, restarted in %.2f s, caught up in %.1f s", kill, temporaries.count, restartSeconds.last ?? .nan, caughtUp))
            }
            feeder.stop()
            monitor.stop()
            daemonCPU += daemon.cpuSeconds
            let daemonPID = daemon.pid
            let stop = daemon.terminate()
            print(String(format: "restart to /healthz: median %.2f s, max %.2f s; all runs caught up again: median %.1f s, max %.1f s",
                         Stats.quantile(restartSeconds, 0.5), restartSeconds.max() ?? .nan, Stats.quantile(catchUpSeconds, 0.5), catchUpSeconds.max() ?? .nan))
            print("temporary files left by the kills: \(leftTemporaries) (all removed at restart); decision reads while running: \(monitor.reads), torn: \(monitor.invalidReads.count)")
            print("machine: " + machine.report(ownCPU: daemonCPU, ownPIDs: [getpid(), daemonPID]))
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

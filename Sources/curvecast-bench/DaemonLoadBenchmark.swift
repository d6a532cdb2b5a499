import Foundation
import TestSupport

/// `curvecast-bench daemon-load`: the load target of issue 6, against the release
/// `curvecast watch` in a child process.
///
/// 200 runs (CSV logs, each starting with 10 points of a Gemstones curve) get a new point every
/// second for 2 minutes. A monitor in this process reads every decision file every 0.2 s; a
/// client sends GET /runs/{id}/decision at 100 requests/s over loopback TCP (open loop: each
/// request's latency counts from when it was due, so a slow answer also delays the ones behind
/// it). Targets: every decision at most 10 s behind its run's newest point; p99 latency < 50 ms.
enum DaemonLoadBenchmark {
    static let maximumLag = 10.0
    static let maximumP99 = 0.050

    struct Options {
        var runs = 200
        var seconds = 120.0
        var rate = 100.0
        var initialPoints = 10
        var unixSocket = false
        var keep = false
        var daemonArguments: [String] = []
    }

    static func run(_ options: Options) -> Bool {
        let root = URL(fileURLWithPath: "/tmp/curvecast-load-\(getpid())")
        defer { if !options.keep { try? FileManager.default.removeItem(at: root) } }
        do {
            try? FileManager.default.removeItem(at: root)
            let feeder = try RunFeeder(folder: root.appendingPathComponent("runs"), runCount: options.runs, initialPoints: options.initialPoints)
            try feeder.prepare()
            let listen: LoopbackHTTPClient.Address = options.unixSocket
                ? .unix(root.appendingPathComponent("api.sock").path) : .tcp(port: DaemonProcess.freePort())
            let daemon = DaemonProcess(
                runs: feeder.folder, state: root.appendingPathComponent("state"), listen: listen,
                arguments: ["--horizon", "83475"] + options.daemonArguments, logFile: root.appendingPathComponent("daemon.log"))
            let machine = MachineLoad()
            let benchCPUStart = MachineLoad.cpuSeconds(pid: getpid()) ?? 0
            try daemon.start()
            let monitor = DecisionMonitor(decisions: daemon.state.appendingPathComponent("decisions"), feeder: feeder)
            print("daemon-load: \(options.runs) runs, a point per run per second for \(Int(options.seconds)) s, "
                + "GET /runs/{id}/decision at \(Int(options.rate))/s over \(options.unixSocket ? "the Unix socket" : "loopback TCP"); "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores; logs in \(root.path)")

            // Start-up: every run's first (cold) fit.
            let startup = Clock.now()
            while Clock.now() - startup < 300 {
                monitor.sweep()
                if monitor.lags(since: 0, end: Clock.now()).uncovered == 0 { break }
                Thread.sleep(forTimeInterval: 0.2)
            }
            let startupSeconds = Clock.now() - startup
            print(String(format: "start-up: all %d runs had their first decision after %.1f s", options.runs, startupSeconds))

            // The load.
            monitor.resetCounts()
            let daemonCPUStart = daemon.cpuSeconds
            let loadStart = Clock.now()
            feeder.start()
            monitor.start(interval: 0.2)
            let shares = CPUShareSampler(pid: daemon.pid)
            shares.start()
            let latencies = requestDecisions(listen: listen, runs: options.runs, rate: options.rate, seconds: options.seconds)
            shares.stop()
            feeder.stop()
            let loadEnd = Clock.now()
            // Let the last points be fitted (their lag still counts from when they were written).
            Thread.sleep(forTimeInterval: maximumLag + 2)
            monitor.stop()
            let daemonCPU = daemon.cpuSeconds - daemonCPUStart
            let daemonTotalCPU = daemon.cpuSeconds
            let fitsDone = (try? LoopbackHTTPClient(listen).request("GET", "/healthz"))?.object?["fits_done"] as? Int ?? -1
            let stop = daemon.terminate()
            let benchCPU = (MachineLoad.cpuSeconds(pid: getpid()) ?? 0) - benchCPUStart
            let others = machine.report(ownCPU: daemonTotalCPU + benchCPU, ownPIDs: daemon.allPIDs.union([getpid()]))

            let (lags, uncovered) = monitor.lags(since: loadStart, end: Clock.now())
            let behind = lags.filter { $0 > maximumLag }.count
            let p99 = Stats.quantile(latencies.values, 0.99)
            print(String(format: "decision lag over %d points: median %.1f s, p99 %.1f s, max %.1f s; %d over %.0f s, %d never covered",
                         lags.count, Stats.quantile(lags, 0.5), Stats.quantile(lags, 0.99), lags.max() ?? .nan, behind, maximumLag, uncovered))
            print(String(format: "  (the monitor swept all %d decision files every %.2f s on average, so lags are measured to about that)",
                         options.runs, 0.2 + monitor.sweepSeconds.reduce(0, +) / Double(max(monitor.sweepSeconds.count, 1))))
            // Per 20 s of the load: the worst lag of the points written then, and the CPU the
            // daemon and the rest of the machine used then (where misses come from).
            let timed = monitor.timedLags(since: loadStart, end: Clock.now())
            var windows: [String] = []
            for window in stride(from: 0.0, to: options.seconds, by: 20) {
                let lags = timed.filter { $0.written - loadStart >= window && $0.written - loadStart < window + 20 }.map(\.lag)
                let share = shares.share(from: loadStart + window, to: loadStart + window + 20)
                windows.append(String(format: "%.0f-%.0f s: max %.1f s (daemon %.0f%%, others %.0f%% of a core)",
                                      window, window + 20, lags.max() ?? .nan, 100 * share.daemon, 100 * share.others))
            }
            print("  by 20 s of load: " + windows.joined(separator: "; "))
            print("  decision reads: \(monitor.reads), incomplete or invalid: \(monitor.invalidReads.count), missing: \(monitor.missingReads)")
            print(String(format: "GET /runs/{id}/decision: %d requests, p50 %@, p99 %@, max %@; %d errors",
                         latencies.values.count, Stats.milliseconds(Stats.quantile(latencies.values, 0.5)), Stats.milliseconds(p99),
                         Stats.milliseconds(latencies.values.max() ?? .nan), latencies.errors))
            let perFit = monitor.fitCPU
            print(String(format: "daemon: %.0f CPU-s in %.0f s of load (%.0f%% of a core); %d fits in all; per fit seen: median %.3f s, p90 %.3f s CPU (%@); diagnostics passed in %d of %d",
                         daemonCPU, loadEnd - loadStart + maximumLag + 2, 100 * daemonCPU / (loadEnd - loadStart + maximumLag + 2), fitsDone,
                         Stats.quantile(perFit, 0.5), Stats.quantile(perFit, 0.9),
                         monitor.fitKinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
                         monitor.diagnosticsPassed, perFit.count))
            print("  decisions seen: " + monitor.verdicts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            print(String(format: "SIGTERM: exited in %.2f s with status %@", stop.seconds, stop.status.map { "\($0)" } ?? "none (killed)"))
            print("machine: " + others)
            let lagOK = behind == 0 && uncovered == 0
            let latencyOK = p99 < maximumP99 && latencies.errors == 0
            let valid = monitor.invalidReads.isEmpty
            let stopOK = stop.status == 0 && stop.seconds < 5
            print("SUMMARY daemon-load: lag max \(format(lags.max() ?? .nan, 1)) s (target <= \(Int(maximumLag)) s) \(lagOK ? "PASS" : "MISS"); "
                + "p99 \(Stats.milliseconds(p99)) (target < 50 ms) \(latencyOK ? "PASS" : "MISS"); "
                + "torn reads \(monitor.invalidReads.count) \(valid ? "PASS" : "MISS"); SIGTERM exit \(stopOK ? "PASS" : "MISS")")
            return lagOK && latencyOK && valid && stopOK
        } catch {
            print("daemon-load: \(error)")
            return false
        }
    }

    /// Open-loop GETs of the decisions, `rate` per second for `seconds`, on one kept-alive
    /// connection; latencies count from when each request was due.
    static func requestDecisions(listen: LoopbackHTTPClient.Address, runs: Int, rate: Double, seconds: Double) -> (values: [Double], errors: Int) {
        let client = LoopbackHTTPClient(listen, timeout: 5)
        var latencies: [Double] = []
        var errors = 0
        let start = Clock.now()
        let total = Int(rate * seconds)
        for index in 0..<total {
            let due = start + Double(index) / rate
            let wait = due - Clock.now()
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            do {
                let response = try client.request("GET", "/runs/\(RunFeeder.runID(index % runs))/decision")
                if response.status != 200 || response.object == nil { errors += 1 }
            } catch {
                errors += 1
                client.disconnect()
            }
            latencies.append(Clock.now() - due)
        }
        return (latencies, errors)
    }
}

/// Samples, every second, the CPU the daemon and the rest of the machine use, so that a
/// benchmark can tell a slow daemon from a busy machine.
final class CPUShareSampler: @unchecked Sendable {
    private let pid: Int32
    private let lock = NSLock()
    private var samples: [(time: Double, daemon: Double, busy: Double)] = []
    private var running = true

    init(pid: Int32) { self.pid = pid }

    func start() {
        Thread { [self] in
            while true {
                let sample = (Clock.now(), MachineLoad.cpuSeconds(pid: pid) ?? 0, MachineLoad.machineBusySeconds())
                lock.lock()
                samples.append(sample)
                let go = running
                lock.unlock()
                if !go { return }
                Thread.sleep(forTimeInterval: 1)
            }
        }.start()
    }

    func stop() {
        lock.lock()
        running = false
        lock.unlock()
    }

    /// The daemon's and the other processes' CPU per second of wall time between two times
    /// (the benchmark's own CPU counts as "others").
    func share(from start: Double, to end: Double) -> (daemon: Double, others: Double) {
        lock.lock()
        defer { lock.unlock() }
        let inside = samples.filter { $0.time >= start && $0.time <= end }
        guard let first = inside.first, let last = inside.last, last.time > first.time else { return (.nan, .nan) }
        let seconds = last.time - first.time
        let daemon = last.daemon - first.daemon
        return (daemon / seconds, (last.busy - first.busy - daemon) / seconds)
    }
}

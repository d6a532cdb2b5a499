import Foundation

/// What else used the machine during a measurement, so a benchmark can report the other
/// engineers' builds next to its own figures: the machine's busy CPU time from /proc/stat
/// (which counts short-lived processes too), and per-process CPU sampled every second from
/// /proc/PID/stat for the names of the main consumers.
final class MachineLoad: @unchecked Sendable {
    private let lock = NSLock()
    private var previous: [Int32: (name: String, cpu: Double)] = [:]
    private var byName: [String: Double] = [:]
    private var running = true
    private let startBusy: Double
    private let startTime = Clock.now()
    private let loadAverageAtStart = MachineLoad.loadAverage()

    /// Starts sampling.
    init() {
        startBusy = Self.machineBusySeconds()
        previous = Self.snapshot()
        Thread { [self] in
            while isRunning {
                Thread.sleep(forTimeInterval: 1)
                sample()
            }
        }.start()
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    private func sample() {
        let now = Self.snapshot()
        lock.lock()
        for (pid, entry) in now {
            let used = entry.cpu - (previous[pid]?.cpu ?? entry.cpu)
            if used > 0 { byName[entry.name + "#\(pid)", default: 0] += used }
        }
        previous = now
        lock.unlock()
    }

    /// CPU seconds (user + system) of process `pid`, nil if it is gone.
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // Fields after the command name: state, ppid, ..., utime is the 12th, stime the 13th.
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Busy CPU seconds of the whole machine (all but idle and iowait), from /proc/stat.
    static func machineBusySeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return 0 }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard values.count >= 5 else { return 0 }
        return (values.reduce(0, +) - values[3] - values[4]) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private static func snapshot() -> [Int32: (name: String, cpu: Double)] {
        var result: [Int32: (name: String, cpu: Double)] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let cpu = cpuSeconds(pid: pid) else { continue }
            var name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            // Whose build or test it is: the worktree of the executable (other engineers run
            // their own curvecast and swift processes).
            if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"),
               let range = exe.range(of: "/work/"), let worktree = exe[range.upperBound...].split(separator: "/").first {
                name += " (\(worktree))"
            } else if let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"),
                      let range = cwd.range(of: "/work/"), let worktree = cwd[range.upperBound...].split(separator: "/").first {
                name += " (in \(worktree))"
            }
            result[pid] = (name, cpu)
        }
        return result
    }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// Stops sampling and reports what the other processes used: `ownCPU` is the CPU seconds of
    /// the measured processes (daemon and benchmark), `ownPIDs` their ids.
    func report(ownCPU: Double, ownPIDs: Set<Int32>) -> String {
        sample()
        lock.lock()
        running = false
        var totals: [String: Double] = [:]
        for (key, used) in byName {
            let parts = key.split(separator: "#")
            guard let pid = parts.last.flatMap({ Int32($0) }), !ownPIDs.contains(pid) else { continue }
            totals[String(parts.first ?? "?"), default: 0] += used
        }
        lock.unlock()
        let seconds = Clock.now() - startTime
        let others = max(Self.machineBusySeconds() - startBusy - ownCPU, 0)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let top = totals.sorted { $0.value > $1.value }.prefix(4).map { "\($0.key) \(String(format: "%.0f", $0.value)) s" }
        return String(format: "other processes used %.0f CPU-s in %.0f s (%.0f%% of the %d cores)", others, seconds,
                      100 * others / max(seconds * cores, 1), Int(cores))
            + (top.isEmpty ? "" : "; main ones: " + top.joined(separator: ", "))
            + "; load average \(loadAverageAtStart) at the start, \(Self.loadAverage()) at the end"
    }
}

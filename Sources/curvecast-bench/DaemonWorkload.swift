import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The runs of the daemon benchmarks: `runCount` CSV logs in a folder, each starting with
/// `initialPoints` real points of a Gemstones curve, then growing by one point per second
/// (the runs staggered over the second), with the time each point was written.
final class RunFeeder: @unchecked Sendable {
    let folder: URL
    let curves: [DaemonCurves.Curve]
    let initialPoints: Int
    private let lock = NSLock()
    private var writtenAt: [[Double]]
    private var stopped = false
    private var thread: Thread?

    init(folder: URL, runCount: Int, initialPoints: Int) throws {
        let source = try DaemonCurves()
        self.folder = folder
        curves = (0..<runCount).map { source.curve(forRun: $0) }
        self.initialPoints = initialPoints
        writtenAt = Array(repeating: [], count: runCount)
    }

    static func runID(_ index: Int) -> String { String(format: "run-%03d", index) }
    func file(_ index: Int) -> URL { folder.appendingPathComponent(Self.runID(index) + ".csv") }

    /// Writes every run's header and first points.
    func prepare() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let now = Clock.now()
        for index in curves.indices {
            let text = "step,loss\n" + DaemonCurves.lines(curves[index], 0..<initialPoints)
            try Data(text.utf8).write(to: file(index))
            lock.lock()
            writtenAt[index] = Array(repeating: now, count: initialPoints)
            lock.unlock()
        }
    }

    /// Appends a point per run per second until `stop()` (or a curve runs out of points).
    func start() {
        let thread = Thread { [self] in
            let start = Clock.now()
            var tick = 0
            while true {
                for index in curves.indices {
                    let due = start + Double(tick) + Double(index) / Double(curves.count)
                    let wait = due - Clock.now()
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                    lock.lock()
                    let done = stopped
                    let next = writtenAt[index].count
                    lock.unlock()
                    if done { return }
                    guard next < curves[index].steps.count else { continue }
                    append(DaemonCurves.lines(curves[index], next..<(next + 1)), to: file(index))
                    lock.lock()
                    writtenAt[index].append(Clock.now())
                    lock.unlock()
                }
                tick += 1
            }
        }
        thread.name = "run-feeder"
        self.thread = thread
        thread.start()
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    /// When each point of each run was written (monotonic seconds).
    var times: [[Double]] {
        lock.lock()
        defer { lock.unlock() }
        return writtenAt
    }

    private func append(_ text: String, to url: URL) {
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { return }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

/// Reads every run's decision file over and over, from a second process's point of view:
/// checks that each read is complete JSON, and notes when each point of a run was first covered
/// by its decision (`last_step` at or past it) and the CPU each published fit reports.
final class DecisionMonitor: @unchecked Sendable {
    let decisions: URL
    let feeder: RunFeeder
    private let lock = NSLock()
    private var coveredAt: [[Double]]
    private var lastGenerated: [String?]
    private var lastContent: [Data?]
    private(set) var reads = 0
    private(set) var invalidReads: [String] = []
    private(set) var missingReads = 0
    private(set) var fitCPU: [Double] = []
    private(set) var fitKinds: [String: Int] = [:]
    private(set) var diagnosticsPassed = 0
    private(set) var verdicts: [String: Int] = [:]
    private var running = true
    private(set) var sweepSeconds: [Double] = []

    init(decisions: URL, feeder: RunFeeder) {
        self.decisions = decisions
        self.feeder = feeder
        coveredAt = Array(repeating: [], count: feeder.curves.count)
        lastGenerated = Array(repeating: nil, count: feeder.curves.count)
        lastContent = Array(repeating: nil, count: feeder.curves.count)
    }

    /// Sweeps every `interval` seconds on a thread of its own until `stop()`.
    func start(interval: Double) {
        Thread { [self] in
            while isRunning {
                let started = Clock.now()
                sweep()
                let took = Clock.now() - started
                lock.lock()
                sweepSeconds.append(took)
                lock.unlock()
                if interval > took { Thread.sleep(forTimeInterval: interval - took) }
            }
        }.start()
    }

    func stop() {
        lock.lock()
        running = false
        lock.unlock()
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    /// Forgets the read counts so far (after the start-up, when files appear one by one).
    func resetCounts() {
        lock.lock()
        reads = 0
        missingReads = 0
        invalidReads = []
        lock.unlock()
    }

    /// One pass over every decision file.
    func sweep() {
        for index in feeder.curves.indices {
            let url = decisions.appendingPathComponent(RunFeeder.runID(index) + ".json")
            guard let data = try? Data(contentsOf: url) else {
                lock.lock()
                missingReads += 1
                lock.unlock()
                continue
            }
            let now = Clock.now()
            // Unchanged content was checked when it was first read: skip parsing it again (the
            // monitor must not eat the CPU the daemon is measured on).
            lock.lock()
            let unchanged = lastContent[index] == data
            reads += 1
            lock.unlock()
            if unchanged { continue }
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            lock.lock()
            lastContent[index] = data
            defer { lock.unlock() }
            guard let object, data.last == 0x0A else {
                invalidReads.append("\(url.lastPathComponent): \(data.count) bytes, not one complete JSON object")
                continue
            }
            if let generated = object["generated_at"] as? String, generated != lastGenerated[index] {
                lastGenerated[index] = generated
                verdicts[object["decision"] as? String ?? "?", default: 0] += 1
                if let model = object["model"] as? [String: Any], let cpu = model["cpu_seconds"] as? Double {
                    fitCPU.append(cpu)
                    fitKinds[model["fit"] as? String ?? "?", default: 0] += 1
                    if model["hurried"] as? Bool == true { fitKinds["hurried", default: 0] += 1 }
                    if (object["diagnostics"] as? [String: Any])?["pass"] as? Bool == true { diagnosticsPassed += 1 }
                }
            }
            guard let lastStep = object["last_step"] as? Double else { continue }
            let steps = feeder.curves[index].steps
            var covered = coveredAt[index].count
            while covered < steps.count, steps[covered] <= lastStep {
                coveredAt[index].append(now)
                covered += 1
            }
        }
    }

    /// Per run, how many of its points a decision has covered so far.
    var coveredCounts: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return coveredAt.map(\.count)
    }

    /// How far behind its point each decision was: for every point written at or after `since`,
    /// the time from its write to the first sweep that saw a decision covering it (points never
    /// covered count until `end`).
    func lags(since: Double, end: Double) -> (lags: [Double], uncovered: Int) {
        let timed = timedLags(since: since, end: end)
        return (timed.map(\.lag), timed.filter(\.uncovered).count)
    }

    /// The lags with the time each point was written.
    func timedLags(since: Double, end: Double) -> [(written: Double, lag: Double, uncovered: Bool)] {
        let written = feeder.times
        lock.lock()
        defer { lock.unlock() }
        var lags: [(written: Double, lag: Double, uncovered: Bool)] = []
        for index in written.indices {
            for (point, time) in written[index].enumerated() where time >= since {
                if point < coveredAt[index].count {
                    lags.append((time, max(coveredAt[index][point] - time, 0), false))
                } else {
                    lags.append((time, end - time, true))
                }
            }
        }
        return lags
    }
}

/// Quantiles and formatting for the reports.
enum Stats {
    static func quantile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded(.up)))]
    }

    static func milliseconds(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1_000) }
}

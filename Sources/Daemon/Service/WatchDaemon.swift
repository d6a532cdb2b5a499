import CurveModels
import Forecasting
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `curvecast watch`: follows the runs in a folder, refits them as points arrive, publishes a
/// decision per run, and serves the HTTP API.
///
/// Threads: the API's poll loop (`HTTPServer`), the watcher (polls the logs every
/// `pollInterval`), and `workers` fit workers taking runs from the `FitScheduler`.
///
/// Start (also after a crash): the state folder's stale temporary files are deleted, the runs'
/// states and decisions are read back (the API serves them at once), every log is read again
/// from its start, and every run is refitted, warm-started from its saved adaptation.
///
/// Stop (`stop()`, on SIGTERM/SIGINT): the API stops accepting and closes its connections, the
/// watcher stops, running fits get `shutdownGrace` seconds to finish and publish, and the rest
/// are abandoned (their runs keep their previous decision: files are only ever replaced whole);
/// then the queued decision files are written (flushed) and the call returns.
public final class WatchDaemon: @unchecked Sendable {
    /// Why the daemon cannot start, with what to do.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    private let configuration: WatchConfiguration
    private let library: ModelLibrary
    private let priors: [String: PriorSet]
    private let log: @Sendable (String) -> Void
    private let store: StateStore
    private let scheduler: FitScheduler
    private let watcherSignal = NSCondition()
    private var watcherStopped = false
    private var watcherWake = false
    private let threads = DispatchGroup()
    private var server: HTTPServer?
    private var writer: DecisionWriter?
    private let lock = NSLock()
    private var stopped = false

    /// A daemon for `configuration`, fitting with the models and default priors given.
    public init(configuration: WatchConfiguration, library: ModelLibrary, priors: [String: PriorSet],
                log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.library = library
        self.priors = priors
        self.log = log
        store = StateStore(root: configuration.stateDirectory)
        scheduler = FitScheduler(debounce: configuration.debounce)
    }

    /// Checks the configuration, restores the state, opens the API and starts the threads;
    /// returns the address the API listens on.
    @discardableResult
    public func start() throws(Failure) -> ListenAddress {
        let study = configuration.study
        let names = study.model.map(ForecastRequest.modelNames) ?? Forecaster.automaticCandidates
        for name in names {
            guard library.names.contains(name) else {
                throw Failure(description: "unknown model '\(name)'; the models are \(library.names.joined(separator: ", "))")
            }
            guard priors[name] != nil else {
                throw Failure(description: "no default prior for model '\(name)'; add Priors/\(name).json")
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: configuration.runsDirectory.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw Failure(description: "\(configuration.runsDirectory.path): no such folder; give --runs the folder the runs log into")
        }
        let removed: Int
        do { removed = try store.prepare() } catch { throw Failure(description: error.description) }
        if removed > 0 { log("removed \(removed) temporary file(s) left by an earlier crash") }

        var decisions: [String: PublishedDecision] = [:]
        let stored = store.loadDecisions()
        for (run, bytes) in stored { decisions[run] = PublishedDecision(bytes: bytes) }
        let board = DecisionBoard(stored)
        var origins: [String: RunOrigin] = [:]
        for pushed in store.pushedRuns() { origins[pushed.run] = .pushed }
        let states = store.loadStates()
        let registry = RunRegistry(states: states, decisions: decisions, origins: origins)
        if !decisions.isEmpty { log("restored \(decisions.count) decision(s) and \(states.count) run state(s) from \(store.root.path)") }

        let fitter = RunFitter(library: library, priors: priors, study: study, budget: configuration.budget)
        let writer = DecisionWriter(store: store, log: log)
        let publisher = DecisionPublisher(registry: registry, board: board, writer: writer, study: study)
        let watcher = RunWatcher(runsFolder: configuration.runsDirectory, store: store, registry: registry,
                                 publisher: publisher, scheduler: scheduler, study: study, log: log)
        let started = FitScheduler.monotonicSeconds()
        let countsBox = CountsBox()
        let api = DaemonAPI(registry: registry, scheduler: scheduler, publisher: publisher, store: store, fitter: fitter,
                            startedAt: started, wakeWatcher: { [weak self] in self?.wakeWatcher() },
                            counts: { countsBox.server?.counts ?? (0, 0) })
        let router = APIRouter(backend: api)
        let server: HTTPServer
        do {
            server = try HTTPServer(address: configuration.listen, limits: configuration.limits) { router.respond(to: $0) }
        } catch {
            throw Failure(description: error.description)
        }
        countsBox.server = server
        lock.lock()
        self.server = server
        lock.unlock()

        lock.lock()
        self.writer = writer
        lock.unlock()
        spawn("curvecast-writer") { writer.run() }
        spawn("curvecast-api") { server.run() }
        spawn("curvecast-watcher") { [self] in watch(watcher) }
        for index in 0..<max(configuration.workers, 1) {
            spawn("curvecast-fit-\(index)") { [self] in work(registry: registry, publisher: publisher, fitter: fitter) }
        }
        log("watching \(configuration.runsDirectory.path) (state: \(store.root.path)); API on \(server.address); "
            + "\(configuration.workers) fit worker(s), debounce \(JSON.format(configuration.debounce)) s")
        return server.address
    }

    /// Stops the daemon (see the type's documentation); returns within about `shutdownGrace`
    /// seconds. Safe to call more than once.
    public func stop() {
        lock.lock()
        guard !stopped else {
            lock.unlock()
            return
        }
        stopped = true
        let server = self.server
        let writer = self.writer
        lock.unlock()
        server?.stop()
        watcherSignal.lock()
        watcherStopped = true
        watcherSignal.broadcast()
        watcherSignal.unlock()
        scheduler.stop()
        let deadline = Date(timeIntervalSinceNow: configuration.shutdownGrace)
        if scheduler.waitUntilIdle(deadline: deadline) {
            log("stopped: every running fit finished and published")
        } else {
            log("stopped: \(scheduler.counts.running) fit(s) still running were abandoned; their runs keep their previous decision")
        }
        // Flush: the decisions of the fits that finished are written before the process exits.
        if let writer {
            if !writer.flush(deadline: Date(timeIntervalSinceNow: 1.5)) { log("stopped before every decision was written; the previous files stay") }
            writer.stop()
        }
        // The API and watcher threads end at once; wait for them briefly (they hold no state).
        _ = threads.wait(timeout: .now() + 0.5)
    }

    /// Asks the watcher to poll now.
    func wakeWatcher() {
        watcherSignal.lock()
        watcherWake = true
        watcherSignal.broadcast()
        watcherSignal.unlock()
    }

    private func watch(_ watcher: RunWatcher) {
        while true {
            watcher.poll()
            watcherSignal.lock()
            let deadline = Date(timeIntervalSinceNow: configuration.pollInterval)
            while !watcherStopped, !watcherWake, watcherSignal.wait(until: deadline) {}
            let stop = watcherStopped
            watcherWake = false
            watcherSignal.unlock()
            if stop { return }
        }
    }

    private func work(registry: RunRegistry, publisher: DecisionPublisher, fitter: RunFitter) {
        Self.markAsBatch()
        while let (id, waited) = scheduler.nextRun() {
            defer { scheduler.finished(id) }
            guard let record = registry.record(id), publisher.needsFit(record), let lastStep = record.steps.last else { continue }
            do {
                let outcome = try fitter.fit(run: id, steps: record.steps, values: record.values, memory: record.state.memory,
                                             hurried: waited >= configuration.budget.hurryAfter)
                publisher.publishFit(id, outcome: outcome, version: record.version, points: record.steps.count, lastStep: lastStep)
            } catch {
                log("run '\(id)': \(error)")
                publisher.publishFitFailure(id, message: error.description)
            }
        }
    }

    /// Puts the calling thread (a fit worker) under Linux's SCHED_BATCH policy: it keeps its
    /// share of the CPU, but the scheduler favours the API, watcher and writer threads (and
    /// everyone else's interactive threads) when they wake up, which keeps the API's latency low
    /// while the workers compute. No privilege is needed; if it is refused, nothing changes.
    private static func markAsBatch() {
        // SCHED_BATCH (<sched.h>, a GNU extension Swift's Glibc module does not export).
        let schedBatch: Int32 = 3
        var parameters = sched_param()
        parameters.sched_priority = 0
        _ = pthread_setschedparam(pthread_self(), schedBatch, &parameters)
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        threads.enter()
        let thread = Thread { [threads] in
            body()
            threads.leave()
        }
        thread.name = name
        // The sampler's trees and the tape replay need more than the 512 KiB of a secondary thread.
        thread.stackSize = 16 << 20
        thread.start()
    }
}

/// Lets the API read the server's counters, which exist only once the server does.
private final class CountsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: HTTPServer?
    var server: HTTPServer? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

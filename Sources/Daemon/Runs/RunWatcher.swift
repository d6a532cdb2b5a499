import Foundation
import RunLogs

/// Polls the runs folder and the pushed runs: finds new runs, reads what their logs appended
/// (`RunTail`), and hands each change to the registry, the publisher and the scheduler.
///
/// Discovery: every entry of the runs folder whose name does not start with `.` is a run (a log
/// file, or a run directory: see `RunLogReader.detect`); so is every `STATE/pushed/*.jsonl`.
/// An entry whose format cannot be detected, or whose log cannot be read, is a run with a
/// problem: it gets an error decision naming the file, line and field, and is read again at
/// every poll, so that it recovers once fixed. Used from one thread only.
final class RunWatcher: @unchecked Sendable {
    private let runsFolder: URL
    private let store: StateStore
    private let registry: RunRegistry
    private let publisher: DecisionPublisher
    private let scheduler: FitScheduler
    private let study: StudyConfiguration
    private let log: @Sendable (String) -> Void
    private var tails: [String: RunTail] = [:]
    private var sources: [String: String] = [:]
    private var troubled: Set<String> = []
    private var listingProblem: String?
    private var isFirstPoll = true

    /// The metric name pushed points are stored under.
    static let pushedMetric = "value"

    init(runsFolder: URL, store: StateStore, registry: RunRegistry, publisher: DecisionPublisher,
         scheduler: FitScheduler, study: StudyConfiguration, log: @escaping @Sendable (String) -> Void) {
        self.runsFolder = runsFolder
        self.store = store
        self.registry = registry
        self.publisher = publisher
        self.scheduler = scheduler
        self.study = study
        self.log = log
    }

    /// One pass over every run.
    func poll() {
        var seen: Set<String> = []
        guard let entries = listRunsFolder() else { return }
        for entry in entries {
            let id = registry.id(forSource: entry.url.path, entryName: entry.name, isDirectory: entry.isDirectory)
            seen.insert(id)
            follow(id, url: entry.url, metric: study.metric)
        }
        for pushed in store.pushedRuns() where registry.registerPushed(pushed.run, source: pushed.url.path) {
            seen.insert(pushed.run)
            follow(pushed.run, url: pushed.url, metric: Self.pushedMetric)
        }
        if isFirstPoll {
            // Runs a previous process knew whose logs are gone now.
            isFirstPoll = false
            for record in registry.allRecords() where !seen.contains(record.id) { registry.markMissing(record.id) }
        }
        for id in Array(tails.keys) where !seen.contains(id) {
            tails[id] = nil
            troubled.remove(id)
            registry.markMissing(id)
            scheduler.remove(id)
            log("run '\(id)': its log is gone (\(sources[id] ?? "?")); its last decision is kept")
        }
    }

    /// Polls one run, creating its tail on first sight.
    private func follow(_ id: String, url: URL, metric: String) {
        sources[id] = url.path
        // A run directory is detected again at every poll: a log that appears next to the
        // first one can make it ambiguous, a Lightning metrics.csv can appear later, ...
        var isDirectory: ObjCBool = false
        if let tail = tails[id], FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            do {
                if try RunLogReader.detect(url) != tail.detection { tails[id] = nil }
            } catch {
                tails[id] = nil
            }
        }
        let isNew = tails[id] == nil
        if isNew {
            do {
                tails[id] = try RunTail(path: url, metrics: [metric])
                log("run '\(id)': following \(url.path)")
            } catch {
                report(id, .problem(error.description, format: nil))
                return
            }
        }
        guard var tail = tails[id] else { return }
        let observation: RunObservation
        var changed = isNew || troubled.contains(id)
        do {
            let update = try tail.poll()
            changed = changed || update.changed
            observation = RunObservation.of(update.log, study: metric == study.metric ? study : pushedStudy)
        } catch {
            tails[id] = tail
            report(id, .problem("\(error)", format: tail.detection.format))
            return
        }
        tails[id] = tail
        if changed { report(id, observation) }
    }

    /// Pushed runs store their metric as `value`.
    private var pushedStudy: StudyConfiguration {
        var pushed = study
        pushed.metric = Self.pushedMetric
        return pushed
    }

    private func report(_ id: String, _ observation: RunObservation) {
        if case .problem = observation { troubled.insert(id) } else { troubled.remove(id) }
        // A run first seen by this process (after a restart) is as stale as its last decision.
        let firstSight = registry.record(id).map { !$0.observed } ?? false
        let age = firstSight ? registry.record(id)?.decision?.age ?? 0 : 0
        let change = registry.observe(id, observation)
        guard change != .unchanged else { return }
        if change == .problem, case .problem(let message, _) = observation {
            log("run '\(id)': \(message)")
            scheduler.remove(id)
        }
        if !publisher.publishWithoutFit(id) { scheduler.markDirty(id, age: age) }
    }

    private struct Entry {
        var name: String
        var url: URL
        var isDirectory: Bool
    }

    /// The runs folder's entries, or nil when it cannot be listed (then nothing is marked missing).
    private func listRunsFolder() -> [Entry]? {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: runsFolder.path)
            listingProblem = nil
        } catch {
            let problem = "\(runsFolder.path): cannot list the runs folder (\(error.localizedDescription))"
            if problem != listingProblem { log(problem) }
            listingProblem = problem
            return nil
        }
        return names.sorted().compactMap { name in
            guard !name.hasPrefix(".") else { return nil }
            let url = runsFolder.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
            return Entry(name: name, url: url, isDirectory: isDirectory.boolValue)
        }
    }
}

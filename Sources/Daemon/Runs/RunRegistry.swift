import Foundation
import RunLogs

/// Every run the daemon knows, shared by the watcher, the fit workers and the API (one lock;
/// nothing slow happens while it is held).
final class RunRegistry: @unchecked Sendable {
    /// What an observation changed.
    enum Change: Sendable, Equatable {
        case unchanged
        /// The points changed (and there is no problem).
        case points
        /// A problem appeared, changed or went away.
        case problem
    }

    private let lock = NSLock()
    private var records: [String: RunRecord] = [:]
    private var idBySource: [String: String] = [:]

    /// A registry holding the runs of a previous process: their states and decisions, so that the
    /// API serves them at once and ids keep their sources.
    init(states: [String: RunState] = [:], decisions: [String: PublishedDecision] = [:], origins: [String: RunOrigin] = [:]) {
        for (id, state) in states {
            var record = RunRecord(id: id, source: state.source, origin: origins[id] ?? .log, state: state)
            record.decision = decisions[id]
            records[id] = record
            idBySource[state.source] = id
        }
        for (id, decision) in decisions where records[id] == nil {
            let source = decision.source ?? id
            var record = RunRecord(id: id, source: source, origin: origins[id] ?? .log, state: RunState(run: id, source: source))
            record.decision = decision
            records[id] = record
            idBySource[source] = id
        }
    }

    /// The id of the run at `source`: the one it had before, or a new one made from the entry's
    /// name (see `RunID`) that no other source holds.
    func id(forSource source: String, entryName: String, isDirectory: Bool) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let id = idBySource[source] { return id }
        let base = RunID.make(fromEntry: entryName, isDirectory: isDirectory)
        var candidates = [base, RunID.make(fromEntry: entryName, isDirectory: isDirectory, keepExtension: true)]
        candidates += (2...1_000).map { "\(base.prefix(RunID.maximumLength - 5))-\($0)" }
        let id = candidates.first { records[$0] == nil } ?? UUID().uuidString
        records[id] = RunRecord(id: id, source: source, origin: .log, state: RunState(run: id, source: source))
        idBySource[source] = id
        return id
    }

    /// Registers a pushed run (its points file in the state folder) if it is new; returns false
    /// when `id` belongs to a run with a log in the runs folder.
    func registerPushed(_ id: String, source: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let existing = records[id] {
            if existing.origin == .pushed { return true }
            // A record restored from a decision alone may be a pushed run whose file is back.
            guard existing.source == source else { return false }
            records[id]?.origin = .pushed
            return true
        }
        records[id] = RunRecord(id: id, source: source, origin: .pushed, state: RunState(run: id, source: source))
        idBySource[source] = id
        return true
    }

    /// Records what a poll of the run's log found; returns what changed.
    func observe(_ id: String, _ observation: RunObservation) -> Change {
        lock.lock()
        defer { lock.unlock() }
        guard var record = records[id] else { return .unchanged }
        let wasMissing = record.missing
        record.missing = false
        var change = Change.unchanged
        switch observation {
        case .points(let steps, let values, let issues, let format):
            record.format = format
            record.issues = issues
            if record.problem != nil {
                record.problem = nil
                change = .problem
            }
            if steps != record.steps || values != record.values {
                record.steps = steps
                record.values = values
                if change == .unchanged { change = .points }
            }
        case .problem(let message, let format):
            record.format = format ?? record.format
            if record.problem != message {
                record.problem = message
                change = .problem
            }
        }
        // The first observation by this process always counts: the run needs a decision (or a
        // refit, after a restart) even if its log is as empty as the record.
        if change == .unchanged, wasMissing || !record.observed {
            change = record.problem == nil ? .points : .problem
        }
        record.observed = true
        if change != .unchanged { record.version += 1 }
        records[id] = record
        return change
    }

    /// Marks a run whose log disappeared (its last decision stays published).
    func markMissing(_ id: String) {
        lock.lock()
        defer { lock.unlock() }
        records[id]?.missing = true
    }

    /// A copy of one run's record.
    func record(_ id: String) -> RunRecord? {
        lock.lock()
        defer { lock.unlock() }
        return records[id]
    }

    /// Copies of every record, by id.
    func allRecords() -> [RunRecord] {
        lock.lock()
        defer { lock.unlock() }
        return records.keys.sorted().compactMap { records[$0] }
    }

    /// The number of runs.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return records.count
    }

    /// Changes one record under the lock; returns what `body` returns (nil if the run is unknown).
    @discardableResult
    func modify<T>(_ id: String, _ body: (inout RunRecord) -> T) -> T? {
        lock.lock()
        defer { lock.unlock() }
        guard var record = records[id] else { return nil }
        let result = body(&record)
        records[id] = record
        return result
    }

    /// The target `id` must beat (see `StudyConfiguration.Target`); nil while there is none.
    func target(for id: String, study: StudyConfiguration) -> DecisionRecord.Target? {
        guard case .bestSoFar = study.target else {
            if case .value(let value) = study.target { return .init(value: value, kind: .fixed, run: nil) }
            return nil
        }
        lock.lock()
        defer { lock.unlock() }
        var observed: DecisionRecord.Target?
        var forecast: DecisionRecord.Target?
        for (other, record) in records where record.problem == nil {
            if let last = record.steps.last, last >= study.horizon,
               let index = record.steps.lastIndex(where: { $0 <= study.horizon }) ?? record.steps.indices.last {
                let value = record.values[index]
                if observed.map({ study.direction.beats(value, $0.value) }) ?? true {
                    observed = .init(value: value, kind: .bestObserved, run: other)
                }
            }
            if other != id, let median = record.decision?.horizonMedian, median.isFinite,
               forecast.map({ study.direction.beats(median, $0.value) }) ?? true {
                forecast = .init(value: median, kind: .bestForecast, run: other)
            }
        }
        return observed ?? forecast
    }
}

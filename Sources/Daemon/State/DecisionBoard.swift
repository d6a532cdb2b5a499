import Foundation

/// The published decisions by run, for GET /runs/{id}/decision: a dictionary behind a lock of
/// its own that is held only to look up or replace one entry, so that the API never waits for
/// a fit worker that holds the registry's lock (and may be descheduled while it does).
final class DecisionBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var decisions: [String: [UInt8]]

    init(_ decisions: [String: [UInt8]] = [:]) {
        self.decisions = decisions
    }

    /// The decision of `run`, if one was published.
    subscript(run: String) -> [UInt8]? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return decisions[run]
        }
        set {
            lock.lock()
            decisions[run] = newValue
            lock.unlock()
        }
    }
}

import Foundation

/// Writes decisions and run states on a thread of its own, so that fit workers never wait for
/// the disk (an atomic durable write costs 1-20 ms of fsyncs on a busy machine).
///
/// Writes of one run happen in the order they were queued; a queued write that a newer one of
/// the same run replaces before it started is skipped (only the newest decision matters, and a
/// kill -9 in between leaves the previous complete file). The API serves decisions from memory,
/// so it never waits for this queue either.
final class DecisionWriter: @unchecked Sendable {
    private struct Item {
        var decision: [UInt8]
        var state: RunState?
    }

    private let store: StateStore
    private let log: @Sendable (String) -> Void
    private let condition = NSCondition()
    private var pending: [String: Item] = [:]
    private var order: [String] = []
    private var writing = 0
    private var stopped = false
    private var failures = 0

    init(store: StateStore, log: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.log = log
    }

    /// Queues the decision (and state) of `run`, replacing a queued one of the same run.
    func enqueue(run: String, decision: [UInt8], state: RunState?) {
        condition.lock()
        if let queued = pending[run] {
            pending[run] = Item(decision: decision, state: state ?? queued.state)
        } else {
            pending[run] = Item(decision: decision, state: state)
            order.append(run)
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Writes that failed so far.
    var writeFailures: Int {
        condition.lock()
        defer { condition.unlock() }
        return failures
    }

    /// Writes until `stop()`; runs on the caller's thread.
    func run() {
        while true {
            condition.lock()
            while order.isEmpty, !stopped { condition.wait() }
            guard !order.isEmpty else {
                condition.unlock()
                return
            }
            let run = order.removeFirst()
            let item = pending.removeValue(forKey: run)
            writing += 1
            condition.unlock()
            var failed = false
            if let item {
                do {
                    try store.writeDecision(item.decision, run: run)
                    if let state = item.state { try store.writeState(state) }
                } catch {
                    failed = true
                    log("cannot write the decision of run '\(run)': \(error); the previous file stays")
                }
            }
            condition.lock()
            writing -= 1
            if failed { failures += 1 }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Waits until everything queued is written or `deadline` passes; returns whether it was.
    func flush(deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !order.isEmpty || writing > 0 {
            if !condition.wait(until: deadline) { return order.isEmpty && writing == 0 }
        }
        return true
    }

    /// Ends `run()` once the queue is empty.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}

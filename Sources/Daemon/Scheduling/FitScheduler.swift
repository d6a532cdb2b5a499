import Foundation

/// The thread-safe face of `FitQueue` for the worker pool: workers block in `nextRun()` until a
/// run is due (or the scheduler stops), and the watcher and the API mark runs dirty.
final class FitScheduler: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: FitQueue
    private var stopped = false
    private let clock: @Sendable () -> Double

    /// A scheduler with the given debounce; `clock` gives seconds (monotonic in production).
    init(debounce: Double, clock: @escaping @Sendable () -> Double = FitScheduler.monotonicSeconds) {
        queue = FitQueue(debounce: debounce)
        self.clock = clock
    }

    /// Monotonic seconds since an arbitrary origin.
    static func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Marks `run` as having new points and wakes a worker; `age` (seconds) says how long ago
    /// its oldest unfitted change happened, when that is known to be earlier than now (after a
    /// restart: the age of the run's last decision), so that the stalest runs go first.
    func markDirty(_ run: String, age: Double = 0) {
        condition.lock()
        queue.markDirty(run, at: clock() - max(age, 0))
        condition.broadcast()
        condition.unlock()
    }

    /// Forgets `run`.
    func remove(_ run: String) {
        condition.lock()
        queue.remove(run)
        condition.unlock()
    }

    /// Blocks until a run is due and returns it with how long its oldest unfitted change has
    /// waited (the caller must call `finished` after the fit), or returns nil once `stop()` was
    /// called.
    func nextRun() -> (run: String, waited: Double)? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped {
            let now = clock()
            if let next = queue.next(at: now) { return next }
            if let due = queue.nextEligibleTime() {
                _ = condition.wait(until: Date(timeIntervalSinceNow: max(due - now, 0.001)))
            } else {
                condition.wait()
            }
        }
        return nil
    }

    /// Notes that the fit of `run` ended (successfully or not).
    func finished(_ run: String) {
        condition.lock()
        queue.finished(run)
        condition.broadcast()
        condition.unlock()
    }

    /// Fits running now and runs waiting.
    var counts: (running: Int, waiting: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (queue.running.count, queue.dirty.count)
    }

    /// Makes `nextRun()` return nil from now on.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until no fit is running or `deadline` passes; returns whether none is running.
    func waitUntilIdle(deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !queue.running.isEmpty {
            if !condition.wait(until: deadline) { return queue.running.isEmpty }
        }
        return true
    }
}

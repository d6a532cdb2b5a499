/// Which run to fit next: the pure bookkeeping of the fit scheduler, with time passed in so that
/// tests can drive it.
///
/// - A run becomes **dirty** when new points arrive; it stays dirty (keeping the time of its
///   oldest unfitted change) until a fit of it starts, so points arriving meanwhile are
///   coalesced into one fit.
/// - **Debounce**: a run's fits start at least `debounce` seconds apart.
/// - **Stalest first**: among the dirty runs that may start, the one dirty the longest goes
///   first, which bounds how far any decision falls behind its run under load.
/// - A run is fitted by one worker at a time; if it gets new points while being fitted, it is
///   dirty again and is fitted again after the running fit (and the debounce).
struct FitQueue: Sendable {
    /// The shortest time between the starts of two fits of one run, in seconds.
    var debounce: Double
    /// Run id -> when its oldest unfitted change arrived.
    private(set) var dirty: [String: Double] = [:]
    /// Runs being fitted.
    private(set) var running: Set<String> = []
    private var lastStart: [String: Double] = [:]

    init(debounce: Double) {
        self.debounce = debounce
    }

    /// Notes new points of `run` at time `now`.
    mutating func markDirty(_ run: String, at now: Double) {
        if dirty[run] == nil { dirty[run] = now }
    }

    /// Forgets a run (it is gone, or has an error that no fit can fix).
    mutating func remove(_ run: String) {
        dirty[run] = nil
        lastStart[run] = nil
    }

    /// The earliest time at which `run` may start a fit.
    private func eligibleTime(_ run: String, dirtySince: Double) -> Double {
        max(dirtySince, (lastStart[run] ?? -.infinity) + debounce)
    }

    /// Starts the stalest eligible run at `now`, if any: it leaves the dirty set and is running.
    /// Returns it with how long its oldest unfitted change has waited.
    mutating func next(at now: Double) -> (run: String, waited: Double)? {
        var best: (run: String, since: Double)?
        for (run, since) in dirty where !running.contains(run) && eligibleTime(run, dirtySince: since) <= now {
            if let current = best, (current.since, current.run) <= (since, run) { continue }
            best = (run, since)
        }
        guard let chosen = best else { return nil }
        dirty[chosen.run] = nil
        running.insert(chosen.run)
        lastStart[chosen.run] = now
        return (chosen.run, now - chosen.since)
    }

    /// When the next dirty run becomes eligible (nil if none is waiting for its debounce; a run
    /// being fitted becomes eligible only after `finished`).
    func nextEligibleTime() -> Double? {
        dirty.filter { !running.contains($0.key) }.map { eligibleTime($0.key, dirtySince: $0.value) }.min()
    }

    /// Notes that the fit of `run` ended.
    mutating func finished(_ run: String) {
        running.remove(run)
    }
}

/// What the daemon remembers about a run between fits and across restarts
/// (`STATE/runs/RUN.json`, private to the daemon): where the run's log is, the stop-vote streak,
/// and what the next fit reuses (`FitMemory`).
struct RunState: Codable, Sendable {
    /// Bumped when the layout changes; a file with another version is ignored (the run is then
    /// refitted cold, nothing else is lost).
    static let currentVersion = 1

    var version = RunState.currentVersion
    /// The run's id.
    var run: String
    /// The log file or run directory (for pushed runs: the points file in the state folder).
    var source: String
    /// Consecutive stop votes so far (`PredictiveStoppingRule`).
    var stopVotes = 0
    /// The adaptation and calibration the next fit starts from.
    var memory = FitMemory()

    init(run: String, source: String) {
        self.run = run
        self.source = source
    }
}

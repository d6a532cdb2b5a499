import Foundation

/// Everything `curvecast watch` runs with, resolved and checked (see `WatchOptions` for how it is
/// read from flags and a config file).
public struct WatchConfiguration: Sendable {
    /// The folder of runs: one run per file or per directory in it.
    public var runsDirectory: URL
    /// The state folder: decisions, per-run state, pushed points, the default socket.
    public var stateDirectory: URL
    /// Where the API listens.
    public var listen: ListenAddress
    /// The study: metric, direction, horizon, target, rule, model.
    public var study: StudyConfiguration
    /// Seconds between two polls of the runs folder and the logs.
    public var pollInterval = 1.0
    /// The shortest time between the starts of two fits of one run: points that arrive meanwhile
    /// are coalesced into the next fit.
    public var debounce = 2.0
    /// Fits running at the same time (default: the available cores).
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// The sampling budget of each fit.
    public var budget = FitBudget()
    /// Limits of the HTTP server.
    public var limits = HTTPLimits()
    /// On SIGTERM/SIGINT, how long running fits may take to finish before they are abandoned.
    public var shutdownGrace = 3.0

    /// The default socket, relative to the state folder.
    public static let defaultSocketName = "api.sock"

    /// A configuration with the defaults; the API listens on `STATE/api.sock` unless `listen` is given.
    public init(runsDirectory: URL, stateDirectory: URL, study: StudyConfiguration, listen: ListenAddress? = nil) {
        self.runsDirectory = runsDirectory
        self.stateDirectory = stateDirectory
        self.study = study
        self.listen = listen ?? .unix(path: stateDirectory.appendingPathComponent(Self.defaultSocketName).path)
    }
}

import Forecasting

/// How much sampling a refit gets. The daemon refits every run every few seconds, so its fits
/// are far cheaper than `curvecast forecast`'s (4 chains x 400 + 400 and a calibration fit):
///
/// - a **cold** fit (a run's first, or after a model change) optimizes from six starts, then runs
///   `chains` x (`coldWarmup` + `samples`) NUTS iterations in the Laplace-standardized coordinates,
///   where the unit metric is already close to right, so only the step size is adapted;
/// - a **warm** refit (`FitWarmStart`) optimizes from the previous mode, starts from the previous
///   step size and metric, and re-tunes the step size during `warmWarmup` iterations only;
/// - the discrepancy rate of `LeaveFutureOutCalibration` (an inner fit) is recomputed only when
///   the run has grown by `recalibrationGrowth` since it was last computed, and reused between;
/// - under a backlog (the run's oldest unfitted point has waited `hurryAfter` seconds or more,
///   because the machine is busy or the runs too many), a refit keeps half the draws and puts
///   off the recalibration until the run has grown by `recalibrationGrowth` squared, so that
///   decisions stay fresh at the price of a noisier forecast (`model.hurried` and
///   `diagnostics.draws_per_chain` in the decision say so).
///
/// The defaults are sized to the load target (200 runs, a new point per run per second, every
/// decision at most 10 s behind, on 2 cores): see the README, "The watching daemon", for the
/// measured cost per fit.
public struct FitBudget: Sendable, Equatable {
    /// Chains per fit.
    public var chains = 1
    /// Warmup iterations of a cold fit.
    public var coldWarmup = 150
    /// Warmup iterations of a warm refit (step size only).
    public var warmWarmup = 30
    /// Draws kept per chain.
    public var samples = 200
    /// Recompute the discrepancy rate when the run has this many times the points it had at the
    /// last calibration.
    public var recalibrationGrowth = 1.5
    /// A refit whose run waited this many seconds keeps half the draws (at least 50).
    public var hurryAfter = 3.0

    /// The defaults.
    public init() {}

    /// The sampler settings of one fit.
    func settings(seed: UInt64, warmStarts: [String: FitWarmStart], hurried: Bool = false) -> FitSettings {
        var settings = FitSettings()
        settings.chains = chains
        settings.warmup = warmStarts.isEmpty ? coldWarmup : warmWarmup
        settings.samples = hurried ? max(samples / 2, min(samples, 50)) : samples
        settings.seed = seed
        settings.warmStarts = warmStarts
        return settings
    }
}

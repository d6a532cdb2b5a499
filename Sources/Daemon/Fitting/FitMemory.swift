import Forecasting

/// What one fit of a run leaves for the next: the adaptation to warm-start from and the
/// discrepancy rate with the size of the curve it was calibrated on. Codable, so that a restarted
/// daemon resumes warm.
public struct FitMemory: Codable, Sendable {
    /// kappa of `LeaveFutureOutCalibration`, nil before the first calibration.
    public var discrepancyRate: Double?
    /// The points the run had when kappa was computed.
    public var calibratedPoints = 0
    /// The last fit's adaptation, by model name.
    public var warmStarts: [String: FitWarmStart] = [:]
    /// Fits done so far (also varies the seed from fit to fit).
    public var fits = 0

    /// Nothing remembered: the next fit is cold.
    public init() {}
}

import CurveModels
import Forecasting

/// The replay's forecaster: `Forecaster.fit` on the revealed points, then posterior predictive
/// draws at the horizon, exactly what `curvecast decide` and the daemon compute for a run.
///
/// The replay fits every run at every checkpoint (hundreds of fits), so it uses cheaper sampler
/// settings than a single forecast: `replaySettings`, 2 chains x (300 warmup + 300 draws), which
/// still gives 600 predictive draws, enough to resolve P(final beats target) to about 0.02 near
/// 0.05 (binomial sd sqrt(0.05 * 0.95 / 600) = 0.009), with the target acceptance of decision
/// fits (`DecisionDiagnostics.targetAcceptance`).
public struct BayesianReplayForecaster: ReplayForecaster {
    public var request: ForecastRequest
    public let library: ModelLibrary
    public let priors: [String: PriorSet]

    /// 2 chains x (300 + 300), seed 1, target acceptance 0.99.
    public static var replaySettings: FitSettings {
        var settings = FitSettings()
        settings.chains = 2
        settings.warmup = 300
        settings.samples = 300
        settings.targetAcceptance = DecisionDiagnostics.targetAcceptance
        return settings
    }

    public init(request: ForecastRequest = ForecastRequest(), library: ModelLibrary, priors: [String: PriorSet]) {
        self.request = request
        self.library = library
        self.priors = priors
    }

    /// The settings the forecasts depend on, for `ReplayForecastTable.cacheKey`.
    public var settingsDescription: String {
        let s = request.settings
        return "model \(request.modelName ?? "auto:" + Forecaster.automaticCandidates.joined(separator: "+")) calibrate \(request.calibrate) "
            + "scale \(request.scale.rawValue) points \(request.maximumPoints) chains \(s.chains) warmup \(s.warmup) samples \(s.samples) "
            + "seed \(s.seed) delta \(s.targetAcceptance) depth \(s.maxTreeDepth) starts \(s.optimizationStarts) laplace \(s.preconditioned)"
    }

    public func forecast(steps: [Double], values: [Double], horizon: Double) -> ReplayForecast? {
        var request = self.request
        request.fitUntil = nil
        // The calibration measures errors over a distance like the one forecast.
        request.horizonRatio = horizon / steps[steps.count - 1]
        guard let result = try? Forecaster.fit(steps: steps, values: values, request: request, library: library, priors: priors),
              let predictive = try? result.predictive(at: [horizon]) else { return nil }
        return ReplayForecast(draws: predictive.values[0], chainLengths: DecisionDiagnostics.chainLengths(of: result),
                              divergenceRate: DecisionDiagnostics.divergenceRate(of: result),
                              strictDiagnosticsPass: result.diagnosticsPass)
    }
}

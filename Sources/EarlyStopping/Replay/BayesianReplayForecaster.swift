import CurveModels
import Forecasting

/// The replay's forecaster: `Forecaster.fit` on the revealed points, then posterior predictive
/// draws at the horizon, exactly what `curvecast decide` and the daemon compute for a run.
///
/// The run's planned learning-rate schedule goes with the fit (`ForecastRequest.schedule`), so the
/// model is chosen per run as everywhere else (`Forecaster.automaticCandidates(schedules:)`): the
/// schedule-aware `multi_power` law (Luo et al. 2025) for a run whose schedule anneals after its
/// warmup, whose forecast at the horizon then includes the anneal still to come (a WSD run's
/// cooldown, a cosine run's tail); the schedule-free broken power law otherwise (constant rates,
/// or no schedule known).
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

    /// The models fitted to a run under `schedule`: `request.modelName`, or the automatic
    /// candidates for that schedule.
    public func modelNames(schedule: LearningRateSchedule?) -> [String] {
        request.modelName.map(ForecastRequest.modelNames) ?? Forecaster.automaticCandidates(schedules: [schedule])
    }

    /// The settings a run's forecasts depend on, for `ReplayForecastTable.cacheKey`: the models,
    /// for a schedule-aware model the schedule's fingerprint, the fitted models' priors
    /// (`priorFingerprint`: an edited prior file makes new fits) and the sampler settings.
    public func settingsDescription(for run: ReplayRun) -> String {
        let s = request.settings
        let names = modelNames(schedule: run.schedule)
        var model = request.modelName ?? "auto:" + names.joined(separator: "+")
        if names != Forecaster.automaticCandidates, let schedule = run.schedule {
            model += " schedule " + Self.fingerprint(schedule)
        }
        model += " priors " + Self.priorFingerprint(names.map { request.prior?.model == $0 ? request.prior : priors[$0] })
        return "model \(model) calibrate \(request.calibrate) "
            + "scale \(request.scale.rawValue) points \(request.maximumPoints) chains \(s.chains) warmup \(s.warmup) samples \(s.samples) "
            + "seed \(s.seed) delta \(s.targetAcceptance) depth \(s.maxTreeDepth) starts \(s.optimizationStarts) laplace \(s.preconditioned)"
    }

    /// "T W P HASH": the schedule's last step, warmup, peak and the 64-bit FNV-1a hash of its
    /// rates' bit patterns (two schedules with the same fingerprint give the same fits).
    static func fingerprint(_ schedule: LearningRateSchedule) -> String {
        var hash = FNV1a()
        for rate in schedule.rates { hash.add(rate.bitPattern) }
        return "\(schedule.total) \(schedule.warmupSteps) \(schedule.peak) \(String(hash.value, radix: 16))"
    }

    /// The 64-bit FNV-1a hash of the priors' contents (each distribution as text, parameters in
    /// name order; nil for a model without a prior), stable across processes, unlike `Hasher`.
    static func priorFingerprint(_ sets: [PriorSet?]) -> String {
        var hash = FNV1a()
        for set in sets {
            guard let set else { hash.add("none"); continue }
            hash.add(set.model)
            for name in set.parameters.keys.sorted() { hash.add("\(name)=\(String(describing: set.parameters[name]!))") }
            hash.add(String(describing: set.noise))
        }
        return String(hash.value, radix: 16)
    }

    /// FNV-1a, 64 bits (Fowler, Noll & Vo): xor each byte in, multiply by the FNV prime.
    struct FNV1a {
        private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ word: UInt64) {
            var bits = word
            for _ in 0..<8 { add(byte: UInt8(bits & 0xff)); bits >>= 8 }
        }
        mutating func add(_ text: String) { for byte in text.utf8 { add(byte: byte) }; add(byte: 0) }
        private mutating func add(byte: UInt8) {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
    }

    public func forecast(steps: [Double], values: [Double], schedule: LearningRateSchedule?, horizon: Double) -> ReplayForecast? {
        var request = self.request
        request.fitUntil = nil
        request.schedule = schedule
        // The calibration measures errors over a distance like the one forecast.
        request.horizonRatio = horizon / steps[steps.count - 1]
        guard let result = try? Forecaster.fit(steps: steps, values: values, request: request, library: library, priors: priors),
              let predictive = try? result.predictive(at: [horizon]) else { return nil }
        return ReplayForecast(draws: predictive.values[0], chainLengths: DecisionDiagnostics.chainLengths(of: result),
                              divergenceRate: DecisionDiagnostics.divergenceRate(of: result),
                              strictDiagnosticsPass: result.diagnosticsPass)
    }
}

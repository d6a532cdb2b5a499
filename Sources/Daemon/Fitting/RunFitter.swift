import CurveModels
import EarlyStopping
import Forecasting
import Foundation
import Sampling
#if canImport(Glibc)
import Glibc
#endif

/// Fits one run's curve cheaply and forecasts its metric at the study's horizon.
///
/// A fit uses the `FitBudget`: warm-started from the run's previous adaptation when there is
/// one (falling back to a cold fit if the warm one fails), and with the discrepancy rate kappa
/// reused until the run has grown enough to recalibrate it (`LeaveFutureOutCalibration`).
/// For a maximized metric the model is fitted to 1 - value and the draws are mapped back.
public struct RunFitter: Sendable {
    public let library: ModelLibrary
    public let priors: [String: PriorSet]
    public let study: StudyConfiguration
    public let budget: FitBudget

    /// A fitter for the study's runs.
    public init(library: ModelLibrary, priors: [String: PriorSet], study: StudyConfiguration, budget: FitBudget) {
        self.library = library
        self.priors = priors
        self.study = study
        self.budget = budget
    }

    /// The predictive quantile levels reported at the horizon.
    public static let levels = [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975]

    /// What a fit produced.
    public struct Outcome: Sendable {
        /// The fitted forecaster (kept in memory for GET /runs/{id}/forecast).
        public var result: ForecastResult
        /// Predictive draws of the metric (its own units) at the horizon.
        public var horizonDraws: [Double]
        /// Whether the fit started from a previous adaptation.
        public var warm: Bool
        /// Whether kappa was recomputed in this fit.
        public var recalibrated: Bool
        /// Whether the fit kept half the draws because its run waited (`FitBudget.hurryAfter`).
        public var hurried: Bool
        /// What the next fit of the run starts from.
        public var memory: FitMemory
        /// Wall and CPU seconds of the fit (the CPU time of the fitting thread).
        public var seconds: Double
        public var cpuSeconds: Double
    }

    /// Why a fit failed, in words that name the run's data or the model.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Fits `steps`/`values` of run `run` (the metric as logged; at least 3 points, steps
    /// increasing), starting from what the previous fit left in `memory`; `hurried` (a backlog)
    /// keeps half the draws.
    public func fit(run: String, steps: [Double], values: [Double], memory previous: FitMemory,
                    hurried: Bool = false) throws(Failure) -> Outcome {
        let started = Date()
        let cpuStart = Self.threadCPUSeconds()
        let maximize = study.direction == .maximize
        let modeled = maximize ? values.map { 1 - $0 } : values
        guard let lastStep = steps.last else { throw Failure(description: "no points to fit") }
        var memory = previous
        memory.fits += 1
        let seed = Self.seed(run: run, fit: memory.fits)

        var request = ForecastRequest(modelName: study.model)
        request.calibrate = false
        request.horizonRatio = max(study.horizon / lastStep, 1)
        request.settings = budget.settings(seed: seed, warmStarts: memory.warmStarts, hurried: hurried)
        var warm = !memory.warmStarts.isEmpty
        var result: ForecastResult
        do {
            result = try Forecaster.fit(steps: steps, values: modeled, request: request, library: library, priors: priors)
        } catch {
            guard warm else { throw Failure(description: Self.describe(error)) }
            // A stale adaptation can fail where a cold start does not: retry cold once.
            warm = false
            request.settings = budget.settings(seed: seed, warmStarts: [:], hurried: hurried)
            do {
                result = try Forecaster.fit(steps: steps, values: modeled, request: request, library: library, priors: priors)
            } catch {
                throw Failure(description: Self.describe(error))
            }
        }

        // Under a backlog the recalibration waits (its inner fit costs as much as the fit itself),
        // unless the run has doubled again since.
        let growth = Double(steps.count) / Double(max(memory.calibratedPoints, 1))
        let due = hurried ? budget.recalibrationGrowth * budget.recalibrationGrowth : budget.recalibrationGrowth
        let recalibrate = memory.discrepancyRate == nil || growth >= due
        if recalibrate {
            // The inner fit (a prefix of the curve) starts from this fit's adaptation too.
            var inner = request
            inner.settings = budget.settings(seed: seed &+ 1, warmStarts: result.warmStarts, hurried: hurried)
            memory.discrepancyRate = LeaveFutureOutCalibration.discrepancyRate(
                steps: steps, values: modeled, request: inner, library: library, priors: priors)
            memory.calibratedPoints = steps.count
        }
        result.discrepancyRate = memory.discrepancyRate ?? LeaveFutureOutCalibration.priorKappa
        memory.warmStarts = result.warmStarts

        let draws: [Double]
        do {
            draws = try result.predictive(at: [study.horizon], seed: seed).values.first ?? []
        } catch {
            throw Failure(description: "forecasting at the horizon failed: \(error)")
        }
        return Outcome(
            result: result, horizonDraws: maximize ? draws.map { 1 - $0 } : draws, warm: warm,
            recalibrated: recalibrate, hurried: hurried, memory: memory, seconds: Date().timeIntervalSince(started),
            cpuSeconds: Self.threadCPUSeconds() - cpuStart)
    }

    /// Forecasts of the metric at `steps` from a fitted result: mean and the quantiles at `levels`.
    public func forecast(_ result: ForecastResult, at steps: [Double], levels: [Double]) throws -> [HorizonForecast] {
        let predictive = try result.predictive(at: steps, seed: 11)
        let maximize = study.direction == .maximize
        return zip(steps, predictive.values).map { step, draws in
            HorizonForecast(step: step, draws: maximize ? draws.map { 1 - $0 } : draws, levels: levels)
        }
    }

    /// A seed that differs between runs and between the fits of one run, and is the same in
    /// every process (FNV-1a of the id, not Swift's per-process randomized hash).
    static func seed(run: String, fit: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in run.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash &+ UInt64(fit)
    }

    /// CPU seconds used by the calling thread (a fit's chains run on it when `chains` is 1).
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private static func describe(_ error: Forecaster.ForecastError) -> String {
        switch error {
        case .data(let problem): return "the points cannot be fitted: \(problem.description)"
        case .runData(let run, let problem): return "the points of \(run) cannot be fitted: \(problem.description)"
        case .model(let message): return "model: \(message)"
        case .prior(let message): return "prior: \(message)"
        case .fit(let message): return "fitting failed: \(message)"
        }
    }
}

/// The predictive distribution of the metric at one step, summarized.
public struct HorizonForecast: Sendable {
    public var step: Double
    public var mean: Double
    /// (level, value), levels increasing.
    public var quantiles: [(level: Double, value: Double)]

    /// The summary of `draws` at `step`: their mean and the quantiles at `levels`.
    public init(step: Double, draws: [Double], levels: [Double]) {
        self.step = step
        let finite = draws.filter(\.isFinite)
        mean = finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
        quantiles = zip(levels, MCMCDiagnostics.quantiles(finite, probabilities: levels)).map { ($0, $1) }
    }

    /// The median, if 0.5 is among the levels.
    public var median: Double? { quantiles.first { $0.level == 0.5 }?.value }

    var json: JSON {
        .object([
            ("step", .number(step)), ("mean", .number(mean)),
            ("quantiles", .object(quantiles.map { (JSON.format($0.level), JSON.number($0.value)) })),
        ])
    }
}

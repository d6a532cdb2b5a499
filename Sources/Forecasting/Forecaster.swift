import CurveModels
import Foundation
import Sampling

/// What to fit: which model(s), which points, how.
public struct ForecastRequest: Sendable {
    /// A model name, or nil for automatic model averaging (`--model auto`).
    public var modelName: String?
    /// Fit only points with step <= fitUntil (nil: all points).
    public var fitUntil: Double?
    public var scale: CurveData.Scale = .log
    public var settings = FitSettings()
    /// Overrides the model's default prior (`--prior FILE`).
    public var prior: PriorSet?
    public var maximumPoints = CurveData.defaultMaximumPoints
    /// Add the model-discrepancy term calibrated by leave-future-out validation
    /// (`LeaveFutureOutCalibration`).
    public var calibrate = true
    /// The ratio of the farthest forecast step to the last fitted step, when known (the
    /// calibration measures errors over a similar distance); nil: 2.
    public var horizonRatio: Double?
    /// The curve's learning-rate schedule (logged or declared, with the planned future steps):
    /// what schedule-aware models (`lr`, `lr_area`, `anneal_area`, `lr_decay_sum`) are computed
    /// from. nil: none (such models then fail to compile).
    public var schedule: LearningRateSchedule?

    public init(modelName: String? = nil, fitUntil: Double? = nil) {
        self.modelName = modelName
        self.fitUntil = fitUntil
    }

    /// The models a model name stands for: itself, or for "A+B+..." each of A, B, ... whose fits
    /// are averaged with equal weights, p(y) = (1/K) sum_k p_k(y), a uniform mixture of the models'
    /// posterior predictive distributions (the prior-weighted model average without likelihood
    /// weighting; Hoeting et al. 1999 discuss why equal weights are a robust default).
    public static func modelNames(_ name: String) -> [String] {
        name.split(separator: "+", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// One forecast point: the predictive mean and quantiles of the curve's value at a step.
public struct ForecastPoint: Sendable, Codable, Equatable {
    public let step: Double
    public let mean: Double
    /// Quantile level -> value.
    public let quantiles: [Double: Double]
}

/// A fitted forecaster: one model, or several with weights.
public struct ForecastResult: Sendable {
    /// The fitted models with their weights (summing to 1).
    public let components: [(fit: CurveFit, weight: Double)]
    /// The discrepancy rate kappa of `LeaveFutureOutCalibration` (0 = none): the forecast's
    /// log sd grows by kappa per e-fold of extrapolation beyond `fitUntil`.
    public var discrepancyRate: Double = 0
    /// The run the forecasts are for (default: the first fitted run, i.e. the fitted curve).
    public var target = ForecastTarget.firstRun
    /// The sd of a log offset between runs (`LeaveOneRunOutCalibration`, 0 = none): added, one
    /// draw per predictive draw shared across steps, to forecasts of a run that was not fitted.
    public var runDiscrepancy: Double = 0

    public init(components: [(fit: CurveFit, weight: Double)], fitUntil: Double, modelLabel: String,
                discrepancyRate: Double = 0) {
        self.components = components
        self.fitUntil = fitUntil
        self.modelLabel = modelLabel
        self.discrepancyRate = discrepancyRate
    }
    /// The last fitted step.
    public let fitUntil: Double
    /// "power_law" for a single model, "auto" for an average.
    public let modelLabel: String

    /// Whether every component with weight > 1% passes its sampler diagnostics.
    public var diagnosticsPass: Bool { components.allSatisfy { $0.weight < 0.01 || $0.fit.diagnosticsPass } }

    /// Predictive draws of the (weighted) mixture at `steps`: each component contributes a share
    /// of the draws proportional to its weight.
    public func predictive(at steps: [Double], seed: UInt64 = 7) throws -> PredictiveDraws {
        let raw = try mixturePredictive(at: steps, seed: seed)
        guard runDiscrepancy > 0 || target.fittedRun == nil else {
            return LeaveFutureOutCalibration.addDiscrepancy(raw, kappa: discrepancyRate, lastFittedStep: fitUntil)
        }
        // A run of a joint fit gets the between-run discrepancy where it was not fitted: everywhere
        // for a run that was not fitted, past its last fitted point for one that was.
        let lastFitted = target.fittedRun.map { run in
            components[0].fit.posterior.runs[run].data.steps.last ?? fitUntil
        }
        return LeaveOneRunOutCalibration.addDiscrepancy(raw, runSD: runDiscrepancy, kappa: discrepancyRate,
                                                        lastFittedStep: lastFitted ?? fitUntil,
                                                        runFitted: target.fittedRun != nil)
    }

    /// The same forecaster aimed at another run: `target` (its schedule, and whether it was fitted).
    public func forecasting(_ target: ForecastTarget) -> ForecastResult {
        var copy = self
        copy.target = target
        return copy
    }

    func mixturePredictive(at steps: [Double], seed: UInt64) throws -> PredictiveDraws {
        if components.count == 1 { return try components[0].fit.predictive(at: steps, target: target, seed: seed) }
        var values = Array(repeating: [Double](), count: steps.count)
        for (k, component) in components.enumerated() where component.weight > 0 {
            let p = try component.fit.predictive(at: steps, target: target, seed: seed &+ UInt64(k))
            let total = p.drawCount
            let take = Int((component.weight * Double(total)).rounded())
            guard take > 0 else { continue }
            for j in steps.indices {
                // An evenly spaced subset keeps draws from every chain.
                for i in 0..<take { values[j].append(p.values[j][i * total / take]) }
            }
        }
        return PredictiveDraws(steps: steps, values: values)
    }

    /// Forecast points with the given quantile levels.
    public func forecast(at steps: [Double], quantiles levels: [Double]) throws -> [ForecastPoint] {
        let p = try predictive(at: steps)
        return steps.indices.map { j in
            let draws = p.values[j]
            let mean = draws.reduce(0, +) / Double(max(draws.count, 1))
            let values = MCMCDiagnostics.quantiles(draws, probabilities: levels)
            var q: [Double: Double] = [:]
            for (level, value) in zip(levels, values) { q[level] = value }
            return ForecastPoint(step: steps[j], mean: mean, quantiles: q)
        }
    }
}

/// Fits curve models to a curve and forecasts it.
public enum Forecaster {
    public enum ForecastError: Error, CustomStringConvertible {
        case data(CurveData.DataError)
        /// A run of a joint fit whose points cannot be fitted.
        case runData(run: String, CurveData.DataError)
        case model(String)
        case prior(String)
        case fit(String)
        public var description: String {
            switch self {
            case .data(let e): return e.description
            case .runData(let run, let e): return "\(run): \(e.description)"
            case .model(let m), .prior(let m), .fit(let m): return m
            }
        }
    }

    /// The default candidates of `--model auto`.
    /// The broken power law (one break, Caballero et al. 2022) removes most of a single power
    /// law's early-phase bias on the shared corpus (CALIBRATION_NOTES lesson 3; README back-test).
    public static let automaticCandidates = ["broken_power_law"]

    /// Fits the request's model (or the automatic candidates) to the points with step <= fitUntil.
    public static func fit(steps: [Double], values: [Double], request: ForecastRequest,
                           library: ModelLibrary, priors: [String: PriorSet],
                           progress: (@Sendable (ChainProgress) -> Void)? = nil) throws(ForecastError) -> ForecastResult {
        var fitSteps = steps, fitValues = values
        if let cut = request.fitUntil {
            let keep = steps.indices.filter { steps[$0] <= cut }
            fitSteps = keep.map { steps[$0] }
            fitValues = keep.map { values[$0] }
        }
        let data: CurveData
        do {
            data = try CurveData(steps: fitSteps, values: fitValues, scale: request.scale, maximumPoints: request.maximumPoints)
        } catch {
            throw .data(error)
        }
        let names = request.modelName.map(ForecastRequest.modelNames) ?? automaticCandidates(schedules: [request.schedule])
        let components = try fitComponents(names, runs: [CurveRun(name: "curve", data: data, schedule: request.schedule)],
                                           request: request, library: library, priors: priors, progress: progress)
        let w = 1 / Double(components.count)
        var result = ForecastResult(components: components.map { ($0, w) }, fitUntil: data.stepRef,
                                    modelLabel: request.modelName ?? "auto")
        if request.calibrate {
            var inner = request
            inner.calibrate = false
            result.discrepancyRate = LeaveFutureOutCalibration.discrepancyRate(
                steps: fitSteps, values: fitValues, request: inner, library: library, priors: priors)
        }
        return result
    }

    /// Fits each named model to `runs` (one posterior per model, sharing its parameters across
    /// the runs).
    static func fitComponents(_ names: [String], runs: [CurveRun], request: ForecastRequest, library: ModelLibrary,
                              priors: [String: PriorSet],
                              progress: (@Sendable (ChainProgress) -> Void)?) throws(ForecastError) -> [CurveFit] {
        var fits: [CurveFit] = []
        for name in names {
            let model: ModelDefinition
            do { model = try library.model(named: name) } catch { throw .model(error.description) }
            // A prior file (--prior) replaces the default prior of the model it names only.
            let override = request.prior.flatMap { $0.model == name ? $0 : nil }
            guard let prior = override ?? priors[name] else {
                throw .prior("no prior for model '\(name)': add Priors/\(name).json or pass --prior FILE")
            }
            do {
                let posterior = try CurvePosterior(model: model, prior: prior, runs: runs)
                fits.append(try CurveFit.run(posterior, settings: request.settings, progress: progress))
            } catch {
                throw .fit("\(name): \(error)")
            }
        }
        return fits
    }
}

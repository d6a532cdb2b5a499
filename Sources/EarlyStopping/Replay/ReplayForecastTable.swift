import CurveModels
import Foundation

/// A forecast of a run's metric at the population's horizon from a prefix of the run.
public struct ReplayForecast: Sendable, Equatable, Codable {
    /// Posterior predictive draws of the metric at the horizon, chain after chain.
    public var draws: [Double]
    /// Draws per chain, in order (nil: the draws cannot be split by chain).
    public var chainLengths: [Int]?
    /// The share of divergent transitions of the fit.
    public var divergenceRate: Double
    /// Whether the fit passed the strict all-parameter diagnostics (`ForecastResult.diagnosticsPass`).
    public var strictDiagnosticsPass: Bool

    public init(draws: [Double], chainLengths: [Int]? = nil, divergenceRate: Double = 0, strictDiagnosticsPass: Bool) {
        self.draws = draws
        self.chainLengths = chainLengths
        self.divergenceRate = divergenceRate
        self.strictDiagnosticsPass = strictDiagnosticsPass
    }

    /// The diagnostics of a vote on these draws (`DecisionDiagnostics`).
    public func decisionDiagnostics(vote: ([Double]) -> Bool) -> DecisionDiagnostics {
        DecisionDiagnostics.assess(draws: draws, chainLengths: chainLengths, divergenceRate: divergenceRate,
                                   strictPass: strictDiagnosticsPass, vote: vote)
    }
}

/// What the replay needs from a forecaster: draws at `horizon` from the points given, under the
/// run's planned learning-rate schedule (`ReplayRun.schedule`, nil: none known).
/// A forecaster that cannot fit returns nil; the replay then treats the checkpoint like a fit
/// whose diagnostics failed (no stop), as the daemon would.
public protocol ReplayForecaster: Sendable {
    func forecast(steps: [Double], values: [Double], schedule: LearningRateSchedule?, horizon: Double) -> ReplayForecast?
}

/// The forecasts of a population's runs at the points the predictive rule is evaluated at, each
/// fitted once, on first use.
///
/// A run's forecast at a point depends only on its own revealed points, not on the order the runs
/// arrive in; only the target (the incumbent) does. So each (run, point) is fitted once, and every
/// order, seed and threshold reads the same fit. Most fits are at the geometric checkpoints of
/// `ReplayCheckpoints` (`fitCheckpoints` fits them all up front, with progress); the confirmation
/// points after a stop vote (`PredictiveReplayRule`) depend on the target, so they are fitted
/// when a simulation first asks for them.
///
/// A reference type because simulations fill it; the lock makes concurrent reads safe.
public final class ReplayForecastTable: @unchecked Sendable {
    public let population: ReplayPopulation
    /// checkpoints[r]: the geometric checkpoint indices into run r's steps.
    public let checkpoints: [[Int]]
    private let forecaster: any ReplayForecaster
    private let lock = NSLock()
    /// fitted[r][i]: the forecast from run r's points up to index i (nil inside: the fit failed).
    private var fitted: [[Int: Fitted]]
    /// used[r]: the indices of run r asked for (fitted now or loaded).
    private var used: [Set<Int>]
    /// Told of every fit: (fits so far, the run).
    public var onFit: (@Sendable (Int, String) -> Void)?

    /// One stored fit and the seconds it took.
    struct Fitted: Equatable {
        var forecast: ReplayForecast?
        var seconds = 0.0
    }

    public init(_ population: ReplayPopulation, checkpoints grid: ReplayCheckpoints, forecaster: some ReplayForecaster) {
        self.population = population
        checkpoints = population.runs.map { grid.indices(steps: $0.steps) }
        self.forecaster = forecaster
        fitted = Array(repeating: [:], count: population.runs.count)
        used = Array(repeating: [], count: population.runs.count)
    }

    /// Progress of `fitCheckpoints`: (fits done, fits in all, the run being fitted).
    public typealias Progress = @Sendable (Int, Int, String) -> Void

    /// A table with every checkpoint fitted.
    public static func build(_ population: ReplayPopulation, checkpoints grid: ReplayCheckpoints,
                             forecaster: some ReplayForecaster, progress: Progress? = nil) -> ReplayForecastTable {
        let table = ReplayForecastTable(population, checkpoints: grid, forecaster: forecaster)
        table.fitCheckpoints(progress: progress)
        return table
    }

    /// Fits every checkpoint not fitted yet (all count as used: a replay from scratch fits them all).
    public func fitCheckpoints(progress: Progress? = nil) {
        lock.lock()
        for (r, indices) in checkpoints.enumerated() { used[r].formUnion(indices) }
        lock.unlock()
        let missing = checkpoints.enumerated().flatMap { r, indices in indices.filter { !isFitted(run: r, index: $0) }.map { (r, $0) } }
        for (done, (r, i)) in missing.enumerated() {
            progress?(done, missing.count, population.runs[r].id)
            _ = forecast(run: r, index: i)
        }
        progress?(missing.count, missing.count, "")
    }

    public func isFitted(run r: Int, index i: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return fitted[r][i] != nil
    }

    /// The forecast from run r's points up to index i, fitted now if it was not; nil if the fit failed.
    public func forecast(run r: Int, index i: Int) -> ReplayForecast? {
        lock.lock()
        used[r].insert(i)
        if let known = fitted[r][i] {
            lock.unlock()
            return known.forecast
        }
        lock.unlock()
        let run = population.runs[r]
        let start = DispatchTime.now().uptimeNanoseconds
        let forecast = forecaster.forecast(steps: Array(run.steps[...i]), values: Array(run.values[...i]),
                                           schedule: run.schedule, horizon: population.horizon)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        lock.lock()
        fitted[r][i] = Fitted(forecast: forecast, seconds: seconds)
        let count = fitted.reduce(0) { $0 + $1.count }
        lock.unlock()
        onFit?(count, run.id)
        return forecast
    }

    /// Fits made or loaded so far.
    public var fitCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return fitted.reduce(0) { $0 + $1.count }
    }

    /// The fits asked for so far (by `fitCheckpoints` and the simulations), made now or loaded.
    public var usedFitCount: Int { usedFits.count }

    /// Seconds the fits asked for took to make (now, or when they were saved).
    public var seconds: Double { usedFits.reduce(0) { $0 + $1.seconds } }

    private var usedFits: [Fitted] {
        lock.lock()
        defer { lock.unlock() }
        return used.enumerated().flatMap { r, indices in indices.compactMap { fitted[r][$0] } }
    }

    /// The share of the fits asked for that failed or failed the strict all-parameter diagnostics.
    public var strictFailureShare: Double { share { !$0.strictDiagnosticsPass } }

    /// The share of the fits asked for that failed or had more divergent transitions than
    /// `DecisionDiagnostics.maximumDivergenceRate` (no stop there, whatever the target).
    public var divergenceFailureShare: Double { share { !($0.divergenceRate <= DecisionDiagnostics.maximumDivergenceRate) } }

    private func share(failing: (ReplayForecast) -> Bool) -> Double {
        let all = usedFits.map(\.forecast)
        guard !all.isEmpty else { return 0 }
        return Double(all.filter { $0.map(failing) ?? true }.count) / Double(all.count)
    }

    /// Every stored fit as (run, index, fit, seconds), for saving.
    var entries: [(run: Int, index: Int, fit: Fitted, seconds: Double)] {
        lock.lock()
        defer { lock.unlock() }
        return fitted.enumerated().flatMap { r, byIndex in
            byIndex.sorted { $0.key < $1.key }.map { (r, $0.key, $0.value, $0.value.seconds) }
        }
    }

    /// Adds fits made before (`load(from:forecaster:)`); `seconds` is their fitting time in all.
    func store(_ entries: [(run: Int, index: Int, fit: Fitted)], seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        let valid = entries.filter { fitted.indices.contains($0.run) && population.runs[$0.run].steps.indices.contains($0.index) }
        for e in valid {
            var fit = e.fit
            fit.seconds = seconds / Double(valid.count)
            fitted[e.run][e.index] = fit
        }
    }
}

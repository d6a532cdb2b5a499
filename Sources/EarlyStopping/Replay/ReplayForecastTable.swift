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

/// What the replay needs from a forecaster: draws at `horizon` from the points given.
/// A forecaster that cannot fit returns nil; the replay then treats the checkpoint like a fit
/// whose diagnostics failed (no stop), as the daemon would.
public protocol ReplayForecaster: Sendable {
    func forecast(steps: [Double], values: [Double], horizon: Double) -> ReplayForecast?
}

/// The forecasts of every run of a population at each of its checkpoints.
///
/// A run's forecast at a checkpoint depends only on its own revealed points, not on the order the
/// runs arrive in; only the target (the incumbent) does. So each run is fitted once per
/// checkpoint, and every order, seed and threshold is simulated from this table.
public struct ReplayForecastTable: Sendable {
    /// checkpoints[r]: the checkpoint indices into run r's steps (`ReplayCheckpoints`).
    public let checkpoints: [[Int]]
    /// forecasts[r][c]: the forecast from run r's points up to checkpoints[r][c]; nil if the fit failed.
    public let forecasts: [[ReplayForecast?]]
    /// Seconds spent fitting.
    public let seconds: Double

    public init(checkpoints: [[Int]], forecasts: [[ReplayForecast?]], seconds: Double = 0) {
        precondition(checkpoints.map(\.count) == forecasts.map(\.count), "ReplayForecastTable: one forecast per checkpoint")
        self.checkpoints = checkpoints
        self.forecasts = forecasts
        self.seconds = seconds
    }

    /// Progress of `build`: (fits done, fits in all, the run being fitted).
    public typealias Progress = @Sendable (Int, Int, String) -> Void

    /// Fits every run of `population` at each of its checkpoints.
    public static func build(_ population: ReplayPopulation, checkpoints grid: ReplayCheckpoints,
                             forecaster: some ReplayForecaster, progress: Progress? = nil) -> ReplayForecastTable {
        let start = DispatchTime.now().uptimeNanoseconds
        let checkpoints = population.runs.map { grid.indices(steps: $0.steps) }
        let total = checkpoints.reduce(0) { $0 + $1.count }
        var done = 0
        var forecasts: [[ReplayForecast?]] = []
        for (run, indices) in zip(population.runs, checkpoints) {
            var row: [ReplayForecast?] = []
            for i in indices {
                progress?(done, total, run.id)
                row.append(forecaster.forecast(steps: Array(run.steps[...i]), values: Array(run.values[...i]),
                                               horizon: population.horizon))
                done += 1
            }
            forecasts.append(row)
        }
        progress?(total, total, "")
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return ReplayForecastTable(checkpoints: checkpoints, forecasts: forecasts, seconds: seconds)
    }

    /// The share of checkpoints whose fit failed or failed the strict all-parameter diagnostics.
    public var strictFailureShare: Double { share { !$0.strictDiagnosticsPass } }

    /// The share of checkpoints whose fit failed or had more divergent transitions than
    /// `DecisionDiagnostics.maximumDivergenceRate` (no stop there, whatever the target).
    public var divergenceFailureShare: Double { share { !($0.divergenceRate <= DecisionDiagnostics.maximumDivergenceRate) } }

    private func share(failing: (ReplayForecast) -> Bool) -> Double {
        let all = forecasts.flatMap { $0 }
        guard !all.isEmpty else { return 0 }
        return Double(all.filter { $0.map(failing) ?? true }.count) / Double(all.count)
    }
}

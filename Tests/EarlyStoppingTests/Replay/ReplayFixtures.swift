import CurveModels
@testable import EarlyStopping

/// Runs with steps 100, 200, ..., 1000 and a constant value each (the final value is that value).
func flatPopulation(_ finals: [String: Double], order names: [String]) throws -> ReplayPopulation {
    let steps = (1...10).map { Double($0) * 100 }
    return try ReplayPopulation(name: "toy", runs: names.map { ($0, steps, Array(repeating: finals[$0]!, count: 10)) })
}

/// A forecaster that knows the truth: every draw is the run's value at its last revealed point
/// (for the flat runs above, their final value), shifted by `bias` for runs whose last value is
/// `biasedValue`; the strict diagnostics as given, the draws not split by chain (so the strict
/// test decides).
struct OracleForecaster: ReplayForecaster {
    var biasedValue: Double = .nan
    var bias: Double = 0
    var diagnosticsPass = true

    func forecast(steps: [Double], values: [Double], schedule: LearningRateSchedule?, horizon: Double) -> ReplayForecast? {
        let last = values[values.count - 1]
        let centre = last == biasedValue ? last + bias : last
        return ReplayForecast(draws: Array(repeating: centre, count: 10), strictDiagnosticsPass: diagnosticsPass)
    }
}

/// A forecaster whose fit always fails.
struct FailingForecaster: ReplayForecaster {
    func forecast(steps: [Double], values: [Double], schedule: LearningRateSchedule?, horizon: Double) -> ReplayForecast? { nil }
}

/// A forecaster that reports what it was given: one draw, the last revealed step; and the horizon.
struct EchoForecaster: ReplayForecaster {
    func forecast(steps: [Double], values: [Double], schedule: LearningRateSchedule?, horizon: Double) -> ReplayForecast? {
        ReplayForecast(draws: [steps[steps.count - 1], Double(steps.count), horizon], strictDiagnosticsPass: true)
    }
}

/// The compute fraction of runs trained for `steps` out of `total` (runs x horizon).
func share(_ steps: [Double], of total: Double) -> Double { steps.reduce(0, +) / total }

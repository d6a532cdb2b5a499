import CurveModels
import Foundation

/// Band widening from leave-future-out validation on the fitted data itself (in the spirit of
/// Buerkner, Gabry & Vehtari 2020, "Approximate leave-future-out cross-validation for Bayesian
/// time series models"; CALIBRATION_NOTES lesson 5).
///
/// The fitted points are split again by the back-test rule with ratio 2: fit up to c_v, the
/// largest step with c / c_v >= 2, and forecast the fitted points in (c_v, c]. Each held-out
/// point gives a standardized log error z = (log y - median) / s, s = (q84 - q16) / 2 of the log
/// predictive draws. The inflation factor is
/// ```
/// f = max(1, median |z| / 0.6745)        (a robust estimate of the sd of z, 1 when calibrated)
/// ```
/// and the final log predictive draws are stretched around their median by f. A curve too short
/// for the inner split (fewer than 5 + 3 points) is not widened. Assumption, checked by the
/// back-test: the ratio of forecast error to predicted spread at 2x carries over to 3-100x.
public enum LeaveFutureOutCalibration {
    public static let ratio = 2.0
    public static let minimumHeldOut = 3

    public static func inflation(steps: [Double], values: [Double], request: ForecastRequest,
                                 library: ModelLibrary, priors: [String: PriorSet]) -> Double {
        guard let split = BacktestProtocol.split(steps: steps, horizon: ratio),
              split.scoredCount >= minimumHeldOut else { return 1 }
        var inner = request
        inner.fitUntil = split.cut
        guard let fit = try? Forecaster.fit(steps: Array(steps[..<split.fitCount]), values: Array(values[..<split.fitCount]),
                                            request: inner, library: library, priors: priors),
              let predictive = try? fit.predictive(at: split.scored.map { steps[$0] }) else { return 1 }
        var z: [Double] = []
        for (j, i) in split.scored.enumerated() where values[i] > 0 {
            let logs = predictive.values[j].filter { $0 > 0 }.map { Foundation.log($0) }.sorted()
            guard logs.count > 10 else { continue }
            let q = { (p: Double) in logs[min(logs.count - 1, Int(p * Double(logs.count - 1)))] }
            let s = max((q(0.8413) - q(0.1587)) / 2, 1e-12)
            z.append(abs(Foundation.log(values[i]) - q(0.5)) / s)
        }
        guard !z.isEmpty else { return 1 }
        z.sort()
        return max(1, z[z.count / 2] / 0.6745)
    }

    /// Stretches every step's draws around their median by `factor`: in log space when all
    /// draws are positive (losses), linearly otherwise (metrics on the linear scale).
    public static func widen(_ p: PredictiveDraws, by factor: Double) -> PredictiveDraws {
        PredictiveDraws(steps: p.steps, values: p.values.map { draws in
            guard !draws.isEmpty else { return draws }
            let positive = draws.allSatisfy { $0 > 0 }
            let x = positive ? draws.map { Foundation.log($0) } : draws
            let sorted = x.sorted()
            let median = sorted[sorted.count / 2]
            return x.map { v in
                let stretched = median + factor * (v - median)
                return positive ? Foundation.exp(stretched) : stretched
            }
        })
    }
}

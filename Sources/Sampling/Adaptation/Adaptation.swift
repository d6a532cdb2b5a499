import LinearAlgebra

/// The warmup state machine of Stan's `adapt_diag_e_nuts` / `adapt_dense_e_nuts`: dual-averaging
/// step size every iteration, metric re-estimated at the end of each slow window.
///
/// Per warmup iteration i (Stan order): learn the step size from accept_stat; feed the draw to
/// the estimator if i is inside a slow window; at a window end, set the metric to the
/// regularized estimate, and the caller re-runs the step-size heuristic, sets
/// mu = log(10 eps) and restarts dual averaging.
///
/// Regularization (Stan `var_adaptation.hpp`, `covar_adaptation.hpp`), n = draws in the window:
/// ```
/// var   = n/(n+5) var   + 1e-3 * 5/(n+5)           (diagonal)
/// Sigma = n/(n+5) Sigma + 1e-3 * 5/(n+5) I         (dense)
/// ```
/// It shrinks toward a small multiple of the identity, keeping Sigma positive definite.
public struct WarmupAdaptation: Sendable {
    /// Stan's shrinkage target scale (1e-3) and pseudo-count (5) of the metric regularization.
    static let shrinkageTarget = 1e-3
    static let shrinkageCount = 5.0

    public var stepSize: StepSizeAdaptation
    public let schedule: WindowSchedule
    public let metricKind: Metric.Kind
    /// false: the metric stays fixed (warm start); only the step size adapts.
    public let adaptsMetric: Bool
    private var variance: WelfordVarianceEstimator
    private var covariance: WelfordCovarianceEstimator

    public init(dimension: Int, stepSize: StepSizeAdaptation, schedule: WindowSchedule,
                metricKind: Metric.Kind, adaptsMetric: Bool = true) {
        self.stepSize = stepSize
        self.schedule = schedule
        self.metricKind = metricKind
        self.adaptsMetric = adaptsMetric
        variance = WelfordVarianceEstimator(dimension: metricKind == .diagonal ? dimension : 0)
        covariance = WelfordCovarianceEstimator(dimension: metricKind == .dense ? dimension : 0)
    }

    /// What the caller must do after a warmup iteration.
    public struct Update {
        /// The step size for the next iteration, exp(x).
        public var stepSize: Double
        /// A new metric if a slow window just ended.
        public var metric: Metric?
    }

    /// Learns from warmup iteration `iteration`'s accept_stat and draw.
    public mutating func learn(iteration: Int, acceptStat: Double, position: [Double]) throws(Metric.Failure) -> Update {
        let eps = stepSize.learn(acceptStat: acceptStat)
        guard adaptsMetric else { return Update(stepSize: eps, metric: nil) }
        if schedule.collects(at: iteration) {
            switch metricKind {
            case .diagonal: variance.add(position)
            case .dense: covariance.add(position)
            }
        }
        guard schedule.updatesMetric(at: iteration) else { return Update(stepSize: eps, metric: nil) }
        var metric: Metric?
        switch metricKind {
        case .diagonal:
            let n = Double(variance.count)
            if let v = variance.variance() {
                let a = n / (n + Self.shrinkageCount)
                let b = Self.shrinkageTarget * (Self.shrinkageCount / (n + Self.shrinkageCount))
                metric = try Metric(diagonalInverseMass: v.map { a * $0 + b })
            }
            variance.restart()
        case .dense:
            let n = Double(covariance.count)
            if var c = covariance.covariance() {
                let a = n / (n + Self.shrinkageCount)
                let b = Self.shrinkageTarget * (Self.shrinkageCount / (n + Self.shrinkageCount))
                let d = c.rows
                for k in 0..<c.storage.count { c.storage[k] *= a }
                for i in 0..<d { c.storage[i * d + i] += b }
                metric = try Metric(denseInverseMass: c)
            }
            covariance.restart()
        }
        return Update(stepSize: eps, metric: metric)
    }

    /// Called by the sampler after the step-size search that follows a metric update.
    public mutating func restartStepSize(at eps: Double) {
        stepSize.mu = _log(10 * eps)
        stepSize.restart()
    }
}

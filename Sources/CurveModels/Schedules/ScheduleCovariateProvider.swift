import Foundation

/// The reference `CovariateProvider` of a schedule: the covariates and schedule functionals at
/// one normalized time t, computed by their defining sums over steps (Models/README.md). Slow
/// (O(steps) per point) and obviously correct: the oracle for the tape operations.
///
/// t maps to step n = max(1, round(t * stepRef)); lr(t) = rate(n) / peak;
/// lr_area(t) = sum_{s=1}^{n} lr(s) / stepRef;
/// anneal_area: m_s = lambda^(1/stepRef) m_{s-1} + (lr(s-1) - lr(s)) for s = W+1...n, m_W = 0,
/// S2 = sum_{s=W+1}^{n} m_s / stepRef;
/// lr_decay_sum: sum_{k=W+1}^{n} (lr(k-1) - lr(k)) G(lr(k)^-gamma S_k(n)),
/// S_k(n) = sum_{s=k}^{n} lr(s) / stepRef, G(x) = 1 - (C x + 1)^-beta.
/// (W is `LearningRateSchedule.warmupSteps`; lr(k)^-gamma uses max(lr(k), 1e-12) so that a decay
/// to exactly 0 stays finite.)
public struct ScheduleCovariateProvider: CovariateProvider {
    public let schedule: LearningRateSchedule
    public let stepRef: Double
    let normalized: [Double]
    /// prefix[n] = sum_{s=1}^{n} lr(s) / stepRef over the schedule's steps.
    let prefix: [Double]

    public init(schedule: LearningRateSchedule, stepRef: Double) {
        precondition(stepRef > 0, "ScheduleCovariateProvider: stepRef must be positive")
        self.schedule = schedule
        self.stepRef = stepRef
        normalized = schedule.rates.map { $0 / schedule.peak }
        var p = [Double](repeating: 0, count: normalized.count)
        for s in 1..<max(normalized.count, 1) { p[s] = p[s - 1] + normalized[s] / stepRef }
        prefix = p
    }

    /// The step of normalized time t.
    public func step(at t: Double) -> Int { ScheduleCovariates.step(t: t, stepRef: stepRef) }

    func lr(_ s: Int) -> Double { normalized[min(max(s, 0), normalized.count - 1)] }

    public func learningRate(at t: Double) -> Double { lr(step(at: t)) }

    public func learningRateArea(at t: Double) -> Double {
        let n = step(at: t), last = normalized.count - 1
        if n <= last { return prefix[n] }
        return prefix[last] + Double(n - last) * normalized[last] / stepRef
    }

    public func annealArea(lambda: Double, at t: Double) -> Double {
        let n = step(at: t), w = schedule.warmupSteps
        if n <= w { return 0 }
        let lambdaStep = Foundation.pow(lambda, 1 / stepRef)
        var m = 0.0, area = 0.0
        for s in (w + 1)...n {
            m = lambdaStep * m + (lr(s - 1) - lr(s))
            area += m
        }
        return area / stepRef
    }

    public func lrDecaySum(c: Double, beta: Double, gamma: Double, at t: Double) -> Double {
        let n = step(at: t), w = schedule.warmupSteps
        if n <= w { return 0 }
        var suffix = 0.0, sum = 0.0
        for k in stride(from: n, through: w + 1, by: -1) {
            suffix += lr(k) / stepRef
            let drop = lr(k - 1) - lr(k)
            if drop == 0 { continue }
            let x = Foundation.pow(max(lr(k), ScheduleCovariates.smallestRate), -gamma) * suffix
            sum += drop * (1 - Foundation.pow(c * x + 1, -beta))
        }
        return sum
    }
}

extension LearningRateSchedule {
    /// The reference (point-by-point) covariate provider of this schedule at `stepRef`.
    public func covariateProvider(stepRef: Double) -> ScheduleCovariateProvider {
        ScheduleCovariateProvider(schedule: self, stepRef: stepRef)
    }
}

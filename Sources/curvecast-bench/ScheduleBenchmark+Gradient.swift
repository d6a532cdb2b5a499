import CurveModels
import Forecasting
import Foundation
import Sampling

extension ScheduleBenchmark {
    /// Value + gradient of the multi-power posterior (Gaussian noise) over the 72k-step cosine
    /// schedule at 550 evaluation points, through the tape (`lr_decay_sum` as one gemv-reduced
    /// node), against a naive per-point loop over every change point in the same run.
    static func gradientTiming(manifest: CurveManifest, library: ModelLibrary,
                               priors: [String: PriorSet]) throws -> (Bool, String) {
        let target = try run("cosine_72000", "25M", manifest)
        guard let schedule = target.schedule else { throw BenchmarkError("cosine_72000 has no schedule") }
        let last = Double(schedule.total)
        let steps = (1...timingPoints).map { (last * Double($0) / Double(timingPoints)).rounded() }
        let values = steps.map { 3.2 + 0.6 * Foundation.pow($0 / 1000, -0.5) }
        let data = try CurveData(steps: steps, values: values, maximumPoints: timingPoints)
        var prior = try priors["multi_power"].unwrap("no multi_power prior")
        prior.noise = NoisePrior(family: .gaussian, sigma: .halfNormal(sigma: 0.02), nu: nil, rho: nil)
        let posterior = try CurvePosterior(model: try library.model(named: "multi_power"), prior: prior, data: data,
                                           schedule: schedule)
        let u = posterior.priorMedianPoint.enumerated().map { $1 + 0.05 * Double($0 + 1) }
        var tape = posterior.tape
        var gradient = [Double](repeating: 0, count: u.count)
        // CPU time of this thread: the machine is shared, and wall time counts other processes' turns.
        let tapeNs = Timing.cpuNanosecondsPerCall(callsPerBatch: 100) { blackHole(tape.valueAndGradient(at: u, gradient: &gradient)) }
        let tapeWallNs = Timing.nanosecondsPerCall(callsPerBatch: 100) { blackHole(tape.valueAndGradient(at: u, gradient: &gradient)) }

        // The naive loop: the same mean by its defining sums, with its gradient by forward mode.
        let x = posterior.constrain(u)
        let named = Dictionary(uniqueKeysWithValues: zip(posterior.parameterNames, x))
        let loop = NaiveMultiPower(schedule: schedule, stepRef: data.stepRef, steps: steps.map { Int($0) })
        var loopMeans: [Double] = []
        let loopNs = Timing.cpuNanosecondsPerCall(batches: 3, callsPerBatch: 1) { loopMeans = loop.meansAndGradient(named).means }
        var evaluator = try posterior.meanEvaluator(t: data.t)
        let tapeMeans = Array(evaluator.mean(at: u))
        let difference = zip(tapeMeans, loopMeans).map { abs($0 - $1) / abs($1) }.max() ?? .nan

        let ms = tapeNs / 1e6
        let columns = schedule.covariates(stepRef: data.stepRef, t: data.t).lrDecaySumOperation().columns
        print("\nvalue + gradient of the multi_power posterior (Gaussian noise), \(timingPoints) points on the "
              + "\(schedule.total)-step cosine schedule (\(columns) change-point columns)")
        print("  tape (lr_decay_sum: \(timingPoints) x \(columns) matrix, Elementwise kernels + gemv):  \(format(ms, 3)) ms CPU "
              + "(\(format(tapeWallNs / 1e6, 3)) ms wall)")
        print("  naive per-point loop over every change point (Foundation pow, forward-mode gradient): \(format(loopNs / 1e6, 1)) ms CPU")
        print("  ratio loop / tape: \(format(loopNs / tapeNs, 0))x; largest relative difference of the means: "
              + String(format: "%.1e", difference) + " (the change-point grouping's error)")
        let pass = ms < timingTargetMilliseconds
        print("  target < \(format(timingTargetMilliseconds, 1)) ms (CPU time): \(pass ? "met" : "MISSED")")
        return (pass, "value+gradient \(format(ms, 2)) ms (loop \(format(loopNs / 1e6, 0)) ms)")
    }
}

extension Timing {
    /// Median CPU nanoseconds of the calling thread per call of `body` (CLOCK_THREAD_CPUTIME_ID),
    /// over `batches` batches of `callsPerBatch` calls: on a shared machine wall time also counts
    /// the other processes' turns on the cores.
    static func cpuNanosecondsPerCall(batches: Int = 31, callsPerBatch: Int, _ body: () -> Void) -> Double {
        func now() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) * 1e9 + Double(t.tv_nsec)
        }
        for _ in 0..<max(1, callsPerBatch / 4) { body() }
        var perCall: [Double] = []
        for _ in 0..<batches {
            let start = now()
            for _ in 0..<callsPerBatch { body() }
            perCall.append((now() - start) / Double(callsPerBatch))
        }
        perCall.sort()
        return perCall[perCall.count / 2]
    }
}

extension Optional {
    func unwrap(_ message: String) throws -> Wrapped {
        guard let value = self else { throw BenchmarkError(message) }
        return value
    }
}

/// The multi-power mean L0 (1 - b LD) + A lr_area^-alpha by its defining sums (Models/README.md),
/// point by point over every change point after the warmup, with the gradient of the sum of the
/// means by forward mode: the baseline a vectorized implementation is measured against.
struct NaiveMultiPower {
    let normalized: [Double]
    let prefix: [Double]
    let warmup: Int
    let steps: [Int]

    init(schedule: LearningRateSchedule, stepRef: Double, steps: [Int]) {
        let last = steps.max() ?? 0
        normalized = (0...last).map { schedule.rate(atStep: $0) / schedule.peak }
        var p = [Double](repeating: 0, count: last + 1)
        for s in 1...last { p[s] = p[s - 1] + normalized[s] / stepRef }
        prefix = p
        warmup = schedule.warmupSteps
        self.steps = steps
    }

    /// The means and d(sum of means)/d(L0, A, alpha, b, C, beta, gamma).
    func meansAndGradient(_ p: [String: Double]) -> (means: [Double], gradient: [Double]) {
        let (l0, a, alpha, b, c, beta, gamma) = (p["L0"]!, p["A"]!, p["alpha"]!, p["b"]!, p["C"]!, p["beta"]!, p["gamma"]!)
        var means: [Double] = []
        var g = [Double](repeating: 0, count: 7)
        for n in steps {
            var ld = 0.0, dC = 0.0, dBeta = 0.0, dGamma = 0.0
            if n > warmup {
                for k in (warmup + 1)...n {
                    let drop = normalized[k - 1] - normalized[k]
                    if drop == 0 { continue }
                    let rate = max(normalized[k], ScheduleCovariates.smallestRate)
                    let xk = Foundation.pow(rate, -gamma) * (prefix[n] - prefix[k - 1])
                    let base = 1 + c * xk
                    let q = Foundation.pow(base, -beta)
                    ld += drop * (1 - q)
                    dC += drop * beta * xk * q / base
                    dBeta += drop * q * Foundation.log(base)
                    dGamma -= drop * beta * c * xk * Foundation.log(rate) * q / base
                }
            }
            let power = Foundation.pow(prefix[n], -alpha)
            means.append(l0 * (1 - b * ld) + a * power)
            g[0] += 1 - b * ld
            g[1] += power
            g[2] -= a * power * Foundation.log(prefix[n])
            g[3] -= l0 * ld
            g[4] -= l0 * b * dC
            g[5] -= l0 * b * dBeta
            g[6] -= l0 * b * dGamma
        }
        return (means, g)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

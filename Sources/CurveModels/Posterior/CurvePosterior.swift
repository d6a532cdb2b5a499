import Autodiff
import Foundation
import Sampling

/// The posterior of a curve model given one curve, or several runs sharing its parameters, as a
/// log density on the unconstrained space:
/// ```
/// log p(u | data) = sum_j [log prior_j(x_j) + log |dx_j/du_j|] + sum_r log L(run_r | x),   x = constrain(u)
/// ```
/// with the model's parameters followed by the noise parameters (sigma; rho for AR(1), nu for
/// Student-t). For AR(1) noise sigma is the innovation sd per unit gap (the stationary sd is
/// sigma / sqrt(1 - rho^2)). The mean is evaluated on the normalized scale of `CurveData`, and the likelihood
/// (Gaussian, Student-t or AR(1) with irregular gaps, one fused tape node each) works on log
/// values (or linear values with `CurveData.Scale.linear`): log y_i = log m(t_i) + e_i.
///
/// Several runs (a joint fit, e.g. one model size under several learning-rate schedules): every
/// run gets its own mean node (its own t and its own schedule's covariates) and likelihood node,
/// and the log likelihoods add (the runs are independent given the parameters). The runs share
/// one normalization (`CurveData.Normalization.joint`), the model's parameters and the noise
/// parameters: the runs are logged and smoothed alike, and per-run noise would add two
/// parameters per run that these long, smooth curves do not need. An AR(1) residual process
/// starts afresh in every run.
public struct CurvePosterior: Sendable {
    public let model: ModelDefinition
    public let prior: PriorSet
    /// The runs fitted (one for a single curve), in the order given.
    public let runs: [CurveRun]
    /// Model parameters, then noise parameters, in tape order.
    public let parameterNames: [String]
    public let supports: [Support]
    public let priors: [PriorDistribution]
    /// log p(u | data) on the unconstrained space.
    public let tape: Tape

    /// The first run's data (the only run's, for a single curve); every run shares its
    /// normalization.
    public var data: CurveData { runs[0].data }
    /// The first run's learning-rate schedule, which the schedule-aware covariates and
    /// functionals (`lr`, `lr_area`, `anneal_area`, `lr_decay_sum`) of a single-curve posterior
    /// are computed from, at step_ref = `data.stepRef`; nil when none was given (such models
    /// then fail to compile).
    public var schedule: LearningRateSchedule? { runs[0].schedule }

    public var dimension: Int { parameterNames.count }
    public var noiseFamily: NoisePrior.Family { prior.noise.family }

    public enum BuildError: Error, CustomStringConvertible {
        case missingPrior(parameter: String, file: String)
        case nameClash(String)
        case compile(String)
        case runs(String)
        public var description: String {
            switch self {
            case .missingPrior(let p, let f): return "\(f): no prior for parameter '\(p)'; add it under \"parameters\""
            case .nameClash(let n): return "model parameter '\(n)' clashes with a noise parameter name; rename it in the .model file"
            case .compile(let m), .runs(let m): return m
            }
        }
    }

    /// The posterior given one curve (and its schedule, for schedule-aware models).
    public init(model: ModelDefinition, prior: PriorSet, data: CurveData,
                schedule: LearningRateSchedule? = nil) throws(BuildError) {
        try self.init(model: model, prior: prior, runs: [CurveRun(name: "curve", data: data, schedule: schedule)])
    }

    /// The joint posterior given several runs sharing the model's and the noise's parameters
    /// (their data must share one normalization and scale).
    public init(model: ModelDefinition, prior: PriorSet, runs: [CurveRun]) throws(BuildError) {
        guard let first = runs.first else { throw .runs("no runs to fit; give at least one curve") }
        for run in runs.dropFirst() {
            guard run.data.normalization == first.data.normalization, run.data.scale == first.data.scale else {
                throw .runs("run '\(run.name)' is not on the normalized scale of run '\(first.name)'; build the runs' CurveData with CurveData.Normalization.joint")
            }
        }
        self.model = model
        self.prior = prior
        self.runs = runs
        let noiseNames: [(String, Support, PriorDistribution?)] = {
            switch prior.noise.family {
            case .gaussian: return [("sigma", .positive, prior.noise.sigma)]
            case .studentT: return [("sigma", .positive, prior.noise.sigma), ("nu", .positive, prior.noise.nu)]
            case .ar1: return [("sigma", .positive, prior.noise.sigma), ("rho", .unit, prior.noise.rho)]
            }
        }()
        var names: [String] = [], supports: [Support] = [], priors: [PriorDistribution] = []
        for p in model.parameters {
            guard let d = prior.parameters[p.name] else { throw .missingPrior(parameter: p.name, file: prior.fileName) }
            if noiseNames.contains(where: { $0.0 == p.name }) { throw .nameClash(p.name) }
            names.append(p.name); supports.append(p.support); priors.append(d)
        }
        for (name, support, distribution) in noiseNames {
            guard let distribution else { throw .missingPrior(parameter: "noise.\(name)", file: prior.fileName) }
            names.append(name); supports.append(support); priors.append(distribution)
        }
        parameterNames = names
        self.supports = supports
        self.priors = priors

        let r = TapeRecorder()
        var values: [String: Variable] = [:]
        var logPrior: Variable? = nil
        for (i, name) in names.enumerated() {
            let u = r.parameter(name)
            let (x, logJ) = supports[i].record(u)
            values[name] = x
            var term = r.custom(PriorLogDensity(prior: priors[i]), inputs: [x])
            if let logJ { term = term + logJ }
            logPrior = logPrior.map { $0 + term } ?? term
        }
        var total = logPrior!
        for run in runs {
            let data = run.data
            let mean: Variable
            do {
                mean = try CurvePosterior.recordMean(model, schedule: run.schedule, stepRef: data.stepRef, t: data.t,
                                                     parameters: values, r)
            } catch {
                throw runs.count == 1 ? error : .compile("run '\(run.name)': \(error.description)")
            }
            let location = data.scale == .log ? r.log(mean) : mean
            let likelihood: Variable
            switch prior.noise.family {
            case .gaussian:
                likelihood = r.custom(GaussianLogLikelihood(y: data.observations), inputs: [location, values["sigma"]!])
            case .studentT:
                likelihood = r.custom(StudentTLogLikelihood(y: data.observations),
                                      inputs: [location, values["sigma"]!, values["nu"]!])
            case .ar1:
                // sigma is the innovation sd (per unit gap, as the prior files describe it); the
                // likelihood node takes the stationary sd sigma / sqrt(1 - rho^2). Sampling the
                // innovation sd decorrelates it from rho: with residuals close to a random walk
                // (rho -> 1) the stationary sd is barely identified, the innovation sd is.
                let rho = values["rho"]!
                let stationary = values["sigma"]! / r.sqrt(1.0 - rho * rho)
                likelihood = r.custom(AR1LogLikelihood(y: data.observations, gaps: data.gaps),
                                      inputs: [location, stationary, rho])
            }
            total = total + likelihood
        }
        tape = r.finish(output: total)
    }

    /// Records the model's mean at normalized times `t` (a vector; a mean that does not involve
    /// t is broadcast to every point), with the schedule's covariates when there is one.
    static func recordMean(_ model: ModelDefinition, schedule: LearningRateSchedule?, stepRef: Double, t: [Double],
                           parameters: [String: Variable], _ r: TapeRecorder) throws(BuildError) -> Variable {
        do {
            var compiler = ModelCompiler(
                recorder: r, parameters: parameters, covariates: [.t: r.vector(t)], model: model,
                schedule: schedule.map { ScheduleCovariates(schedule: $0, stepRef: stepRef, t: t) })
            let mean = try compiler.compile(model.mean)
            return r.isScalar(mean) ? mean + r.vector(Array(repeating: 0, count: t.count)) : mean
        } catch {
            throw .compile(error.description)
        }
    }

    /// Constrained parameter values of an unconstrained point.
    public func constrain(_ u: [Double]) -> [Double] {
        zip(supports, u).map { $0.constrain($1) }
    }

    /// The unconstrained point whose constrained values are the prior medians: a neutral start
    /// for optimization.
    public var priorMedianPoint: [Double] {
        zip(supports, priors).map { support, prior in
            let (lo, hi) = support.bounds
            let median = min(max(prior.quantile(0.5), lo + 1e-9 * max(1, abs(lo))), hi - 1e-9 * max(1, abs(hi)))
            return support.unconstrain(median)
        }
    }

    /// Unconstrained points drawn from the priors (for optimization starts), reproducible by seed.
    public func priorDraws(_ count: Int, seed: UInt64) -> [[Double]] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in
            zip(supports, priors).map { support, prior in
                // Inverse-CDF draws, kept away from the extreme tails (p in [0.05, 0.95]).
                let x = prior.quantile(0.05 + 0.9 * rng.uniform())
                let (lo, hi) = support.bounds
                return support.unconstrain(min(max(x, lo + 1e-9 * max(1, abs(lo))), hi - 1e-9 * max(1, abs(hi))))
            }
        }
    }

    /// An evaluator of the model mean (normalized scale) at normalized times `t`, with the first
    /// run's schedule (if any) at step_ref = `data.stepRef`.
    public func meanEvaluator(t: [Double]) throws(BuildError) -> MeanEvaluator {
        try meanEvaluator(t: t, schedule: schedule)
    }

    /// An evaluator of the model mean at normalized times `t` under `schedule` (any run's, or a
    /// run not fitted at all, e.g. a planned schedule): the forecast of a run from the shared
    /// parameters.
    public func meanEvaluator(t: [Double], schedule: LearningRateSchedule?) throws(BuildError) -> MeanEvaluator {
        let r = TapeRecorder()
        var values: [String: Variable] = [:]
        for (i, name) in parameterNames.enumerated() {
            values[name] = supports[i].record(r.parameter(name)).value
        }
        let mean = try CurvePosterior.recordMean(model, schedule: schedule, stepRef: data.stepRef, t: t,
                                                 parameters: values, r)
        return MeanEvaluator(tape: r.finish(output: r.constant(0), keep: [mean]), mean: mean.node, count: t.count)
    }
}

/// The model mean at fixed times, for posterior draws (a forward-only tape replay).
public struct MeanEvaluator: Sendable {
    var tape: Tape
    let mean: NodeID
    public let count: Int

    /// m(t_j) for every t of the evaluator, at unconstrained point `u`.
    public mutating func mean(at u: [Double]) -> ArraySlice<Double> {
        tape.value(at: u)
        return tape.values(of: mean)
    }
}

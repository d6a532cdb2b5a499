import Dispatch
import Foundation
import LinearAlgebra

/// Runs NUTS chains with Stan's warmup (CmdStan `sample` with `adapt engaged=1`).
public enum Sampler {
    /// A chain failed; `underlying` is the initialization, step-size or metric error.
    public struct ChainFailure: Error, CustomStringConvertible {
        public let chain: Int
        public let underlying: any Error
        public var description: String { "chain \(chain): \(underlying)" }
    }

    /// Runs `configuration.chains` chains in parallel (one worker per core, via
    /// `DispatchQueue.concurrentPerform`). `makeDensity(c)` is called inside chain c's worker, so
    /// each chain owns its density (and any scratch buffers in it). Results are in chain order.
    /// `progress` is called from the workers, concurrently: it must be thread-safe.
    public static func run<D: LogDensity & SendableMetatype>(
        configuration: SamplerConfiguration,
        progress: (@Sendable (ChainProgress) -> Void)? = nil,
        density makeDensity: @escaping @Sendable (Int) -> D
    ) throws -> [ChainResult] {
        precondition(configuration.chains >= 1, "Sampler.run: chains = \(configuration.chains)")
        if case .laplace(let count) = configuration.preconditioning {
            return try runPreconditioned(configuration: configuration, optimizationStarts: count,
                                         progress: progress, density: makeDensity)
        }
        let slots = ResultSlots(count: configuration.chains)
        DispatchQueue.concurrentPerform(iterations: configuration.chains) { c in
            let outcome: Result<ChainResult, ChainFailure>
            do {
                outcome = .success(try runChain(chain: c, density: makeDensity(c),
                                                configuration: configuration, progress: progress))
            } catch let failure as ChainFailure {
                outcome = .failure(failure)
            } catch {
                outcome = .failure(ChainFailure(chain: c, underlying: error))
            }
            slots.set(c, outcome)
        }
        return try slots.collect().map { try $0.get() }
    }

    /// Laplace preconditioning: optimize, factor the curvature, sample z, map draws back.
    private static func runPreconditioned<D: LogDensity & SendableMetatype>(
        configuration: SamplerConfiguration, optimizationStarts: Int,
        progress: (@Sendable (ChainProgress) -> Void)?,
        density makeDensity: @escaping @Sendable (Int) -> D
    ) throws -> [ChainResult] {
        var density = makeDensity(0)
        let d = density.dimension
        let starts: [[Double]]
        switch configuration.initialization {
        case .point(let p): starts = [p]
        case .points(let ps): starts = ps
        case .uniform(let radius):
            var rng = Xoshiro256StarStar(seed: configuration.seed, stream: 1_000)
            starts = (0..<max(optimizationStarts, 1)).map { _ in (0..<d).map { _ in rng.uniform(in: -radius, radius) } }
        }
        let preconditioner: LaplacePreconditioner
        do {
            preconditioner = try LaplacePreconditioner(density: &density, starts: starts)
        } catch {
            throw ChainFailure(chain: 0, underlying: error)
        }
        var inner = configuration
        inner.preconditioning = .none
        inner.initialization = .uniform(radius: Initialization.stanRadius)
        let results = try run(configuration: inner, progress: progress) { c in
            PreconditionedDensity(base: makeDensity(c), preconditioner: preconditioner)
        }
        return results.map { r in
            var result = ChainResult(
                chain: r.chain, draws: r.draws.mapRows(preconditioner.position),
                statistics: r.statistics, warmupDraws: r.warmupDraws?.mapRows(preconditioner.position),
                warmupStatistics: r.warmupStatistics,
                stepSize: r.stepSize, metric: r.metric,
                gradientEvaluations: r.gradientEvaluations + (c0Evaluations(preconditioner, chain: r.chain, d: d)),
                samplingGradientEvaluations: r.samplingGradientEvaluations,
                initialPoint: preconditioner.position(r.initialPoint))
            result.preconditioner = preconditioner
            return result
        }
    }

    /// The optimization's gradient evaluations are charged to chain 0.
    private static func c0Evaluations(_ p: LaplacePreconditioner, chain: Int, d: Int) -> Int {
        chain == 0 ? p.optima.reduce(0) { $0 + $1.gradientEvaluations } + 2 * d : 0
    }

    /// Runs chain `chain` on the calling thread: initialization, step-size search, warmup
    /// (dual averaging + windowed metric adaptation, or a warm start), then the draws.
    ///
    /// With `warmup == 0` and no warm start nothing is adapted: the chain samples with the unit
    /// metric and the step size from the step-size search.
    public static func runChain<D: LogDensity>(
        chain: Int, density: D, configuration cfg: SamplerConfiguration,
        progress: ((ChainProgress) -> Void)? = nil
    ) throws(ChainFailure) -> ChainResult {
        do {
            return try runChainUnwrapped(chain: chain, density: density, cfg: cfg, progress: progress)
        } catch {
            throw ChainFailure(chain: chain, underlying: error)
        }
    }

    private static func runChainUnwrapped<D: LogDensity>(
        chain: Int, density: D, cfg: SamplerConfiguration, progress: ((ChainProgress) -> Void)?
    ) throws -> ChainResult {
        precondition(cfg.warmup >= 0 && cfg.samples >= 0, "Sampler: negative iteration count")
        let d = density.dimension
        var rng = Xoshiro256StarStar(seed: cfg.seed, stream: chain)
        var density = density
        let (q0, initEvaluations) = try cfg.initialization.initialPoint(chain: chain, density: &density, rng: &rng)

        let warm = cfg.warmStart
        let startStepSize = warm?.stepSize ?? cfg.initialStepSize
        var sampler = try NUTSSampler(density: density, initialPoint: q0,
                                      metric: warm?.metric ?? .unit(dimension: d, kind: cfg.metric),
                                      stepSize: startStepSize, maxTreeDepth: cfg.maxTreeDepth,
                                      maxDeltaH: cfg.maxDeltaH, rng: rng)
        sampler.gradientEvaluations += initEvaluations

        // mu = log(10 eps_0) is set before the step-size search (as the Stan services do).
        let stepAdaptation = StepSizeAdaptation(initialStepSize: startStepSize, delta: cfg.targetAcceptance,
                                                gamma: cfg.gamma, kappa: cfg.kappa, t0: cfg.t0)
        let schedule = warm == nil
            ? WindowSchedule(numWarmup: cfg.warmup, initBuffer: cfg.initBuffer,
                             termBuffer: cfg.termBuffer, baseWindow: cfg.baseWindow)
            : WindowSchedule(numWarmup: 0)
        var adaptation = WarmupAdaptation(dimension: d, stepSize: stepAdaptation, schedule: schedule,
                                          metricKind: warm?.metric.kind ?? cfg.metric,
                                          adaptsMetric: warm == nil)
        let adaptsStepSize = cfg.warmup > 0 && (warm?.adaptStepSize ?? true)
        if warm == nil { try sampler.initializeStepSize() }

        let total = cfg.warmup + cfg.samples
        func report(_ done: Int) {
            guard let progress else { return }
            if done % max(cfg.progressInterval, 1) == 0 || done == total {
                progress(ChainProgress(chain: chain, completed: done, total: total, isWarmup: done <= cfg.warmup))
            }
        }

        // Warmup.
        var warmupDraws: [Double] = []
        var warmupStatistics = SamplerStatistics()
        if cfg.keepWarmup {
            warmupDraws.reserveCapacity(cfg.warmup * d)
            warmupStatistics.reserve(cfg.warmup)
        }
        for i in 0..<cfg.warmup {
            let info = sampler.transition()
            if cfg.keepWarmup {
                warmupDraws.append(contentsOf: sampler.position)
                warmupStatistics.append(info)
            }
            if adaptsStepSize {
                let update = try adaptation.learn(iteration: i, acceptStat: info.acceptStat, position: sampler.position)
                sampler.stepSize = update.stepSize
                if let metric = update.metric {
                    sampler.setMetric(metric)
                    try sampler.initializeStepSize()
                    adaptation.restartStepSize(at: sampler.stepSize)
                }
            }
            report(i + 1)
        }
        if adaptsStepSize { sampler.stepSize = adaptation.stepSize.adaptedStepSize }

        // Draws.
        let evaluationsBefore = sampler.gradientEvaluations
        var draws: [Double] = []
        draws.reserveCapacity(cfg.samples * d)
        var statistics = SamplerStatistics()
        statistics.reserve(cfg.samples)
        for i in 0..<cfg.samples {
            let info = sampler.transition()
            draws.append(contentsOf: sampler.position)
            statistics.append(info)
            report(cfg.warmup + i + 1)
        }

        return ChainResult(
            chain: chain,
            draws: Matrix(rows: cfg.samples, columns: d, rowMajor: draws),
            statistics: statistics,
            warmupDraws: cfg.keepWarmup ? Matrix(rows: cfg.warmup, columns: d, rowMajor: warmupDraws) : nil,
            warmupStatistics: cfg.keepWarmup ? warmupStatistics : nil,
            stepSize: sampler.stepSize, metric: sampler.metric,
            gradientEvaluations: sampler.gradientEvaluations,
            samplingGradientEvaluations: sampler.gradientEvaluations - evaluationsBefore,
            initialPoint: q0)
    }
}

/// One result slot per chain, written once each by the workers (guarded by a lock).
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<ChainResult, Sampler.ChainFailure>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<ChainResult, Sampler.ChainFailure>) {
        lock.lock(); defer { lock.unlock() }
        results[i] = r
    }

    func collect() -> [Result<ChainResult, Sampler.ChainFailure>] {
        lock.lock(); defer { lock.unlock() }
        return results.map { $0! }
    }
}

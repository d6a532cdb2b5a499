import Foundation
import Sampling
import TestSupport

/// `curvecast-bench nuts`: the power-law curve model y ~ N(E + A t^-alpha, sigma) with 2,000
/// points (`PowerLawBenchmarkModel`), 4 chains x (1000 warmup + 1000 draws), our NUTS against
/// NumPyro's on the identical model, data, priors and settings, in the same run. Both samplers'
/// draws go through the same diagnostics code (rank-normalized R-hat, bulk ESS).
///
/// Two runs of ours: plain Stan (uniform(-2, 2) inits, as NumPyro's defaults) and with the
/// Laplace preconditioning that curvecast's curve fits use (`Preconditioning.laplace`: L-BFGS
/// to the mode, NUTS on the standardized coordinates; its optimization time is included).
///
/// Targets (issue 3): under 1 s of wall time on this 2-core machine, R-hat <= 1.01 and bulk
/// ESS >= 1000 for every parameter.
enum NUTSBenchmark {
    static let targetSeconds = 1.0
    static let maximumRHat = 1.01
    static let minimumESS = 1000.0

    struct Run {
        let label: String
        let seconds: Double
        let minESS: Double
        let maxRHat: Double
        var passes: Bool { seconds < targetSeconds && maxRHat <= maximumRHat && minESS >= minimumESS }
    }

    static func run(seed: UInt64, python: String?, skipPeer: Bool, chains chainCount: Int = 4,
                    metric: Metric.Kind = .diagonal) -> Bool {
        let (t, y) = PowerLawBenchmarkModel.data()
        let tape = PowerLawBenchmarkModel.tape(t: t, y: y)
        var cfg = SamplerConfiguration()
        cfg.seed = seed
        cfg.chains = chainCount
        cfg.metric = metric
        print("power law y ~ N(E + A t^-alpha, sigma), \(t.count) points, \(cfg.chains) chains x (\(cfg.warmup) warmup + \(cfg.samples) draws), \(metric == .dense ? "dense" : "diagonal") metric, \(ProcessInfo.processInfo.activeProcessorCount) cores\n")
        var runs: [Run] = []
        for (label, preconditioning) in [("curvecast NUTS, plain Stan", Preconditioning.none),
                                         ("curvecast NUTS, Laplace-preconditioned (curve-fit default)", .laplace)] {
            cfg.preconditioning = preconditioning
            do {
                var chains: [ChainResult] = []
                let seconds = try Timing.seconds {
                    chains = try Sampler.run(configuration: cfg) { _ in TapeLogDensity(tape) }
                }
                runs.append(report(label, chains: chains, seconds: seconds, cfg: cfg))
            } catch {
                print("\(label): sampler error \(error)")
                return false
            }
        }

        var peerText = "NumPyro not run"
        if !skipPeer {
            do {
                let peer = try NumPyroPeer.run(python: python ?? NumPyroPeer.defaultPython, t: t, y: y, chains: cfg.chains,
                                               warmup: cfg.warmup, samples: cfg.samples, seed: Int(seed), dense: metric == .dense,
                                               priors: PowerLawBenchmarkModel.Priors())
                let peerSummary = PosteriorSummary(names: PowerLawBenchmarkModel.names, draws: peer.draws)
                let peerESS = peerSummary.parameters.map(\.essBulk).min() ?? 0
                let peerRHat = peerSummary.parameters.map(\.rhat).max() ?? .infinity
                print("NumPyro \(peer.version) NUTS (same model, data, priors, settings; default inits; CPU, chains in parallel):")
                print(peerSummary.table)
                print("  wall \(format(peer.wallSeconds, 3)) s (compilation included), divergences \(peer.divergences)")
                print("  min bulk ESS \(format(peerESS, 0)), max R-hat \(format(peerRHat, 4)), min bulk ESS per second \(format(peerESS / peer.wallSeconds, 1))\n")
                peerText = "NumPyro \(format(peer.wallSeconds, 2)) s (ESS/s \(format(peerESS / peer.wallSeconds, 0))); wall-time ratios NumPyro/curvecast "
                    + runs.map { "\(format(peer.wallSeconds / $0.seconds, 1))x" }.joined(separator: " / ")
                    + ", ESS/s ratios " + runs.map { "\(format(($0.minESS / $0.seconds) / (peerESS / peer.wallSeconds), 1))x" }.joined(separator: " / ")
            } catch {
                print("NumPyro: \(error)\n")
                peerText = "NumPyro unavailable"
            }
        }
        let ok = runs.last?.passes ?? false
        print("SUMMARY nuts: curvecast plain \(format(runs[0].seconds, 3)) s, preconditioned \(format(runs[1].seconds, 3)) s "
              + "(min ESS \(format(runs[1].minESS, 0)), max R-hat \(format(runs[1].maxRHat, 4))); \(peerText) "
              + "(targets < \(format(targetSeconds, 0)) s, R-hat <= \(maximumRHat), ESS >= \(format(minimumESS, 0))): \(ok ? "PASS" : "FAIL")")
        return ok
    }

    static func report(_ label: String, chains: [ChainResult], seconds: Double, cfg: SamplerConfiguration) -> Run {
        let summary = PosteriorSummary(chains: chains, names: PowerLawBenchmarkModel.names,
                                       maximumTreeDepth: cfg.maxTreeDepth) { q in q.map { Foundation.exp($0) } }
        let gradients = chains.reduce(0) { $0 + $1.gradientEvaluations }
        let samplingGradients = chains.reduce(0) { $0 + $1.samplingGradientEvaluations }
        let cores = Double(min(cfg.chains, ProcessInfo.processInfo.activeProcessorCount))
        print("\(label):")
        print(summary.table)
        print("  wall \(format(seconds, 3)) s, \(gradients) gradients (\(gradients - samplingGradients) before the draws; \(format(seconds / Double(gradients) * 1e6 * cores, 2)) us of wall per gradient per core), divergences \(summary.sampler?.totalDivergences ?? 0)")
        let meanAccept = chains.map { $0.statistics.acceptStat.reduce(0, +) / Double(max($0.statistics.count, 1)) }
        let meanLeapfrogs = chains.map { Double($0.statistics.leapfrogSteps.reduce(0, +)) / Double(max($0.statistics.count, 1)) }
        print("  per chain: step size \(chains.map { format($0.stepSize, 3) }), mean accept_stat \(meanAccept.map { format($0, 2) }), mean leapfrogs per draw \(meanLeapfrogs.map { format($0, 1) })")
        let run = Run(label: label, seconds: seconds, minESS: summary.parameters.map(\.essBulk).min() ?? 0,
                      maxRHat: summary.parameters.map(\.rhat).max() ?? .infinity)
        print("  min bulk ESS \(format(run.minESS, 0)), max R-hat \(format(run.maxRHat, 4)), min bulk ESS per second \(format(run.minESS / seconds, 0))\n")
        return run
    }
}

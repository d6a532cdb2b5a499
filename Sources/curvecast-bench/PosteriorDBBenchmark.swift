import Foundation
import Sampling
import TestSupport

/// `curvecast-bench posteriordb`: our NUTS against posteriordb's reference posteriors
/// (../shared/data/posteriordb, all five), with Stan's default settings (4 chains,
/// 1000 warmup + 1000 draws, diagonal metric, delta 0.8, max depth 10). The pass rule is
/// `ReferencePosterior.check` (means within 4 combined MCSEs, sds within 10%, no divergences
/// beyond what Stan itself shows). Exit status 1 when any posterior fails.
enum PosteriorDBBenchmark {
    static func run(seed: UInt64) -> Bool {
        var passedCount = 0
        for name in ReferencePosterior.names {
            do {
                let posterior = try ReferencePosterior.load(name)
                var cfg = SamplerConfiguration()
                cfg.seed = seed
                var chains: [ChainResult] = []
                let seconds = try Timing.seconds {
                    chains = try Sampler.run(configuration: cfg) { _ in TapeLogDensity(posterior.tape) }
                }
                let summary = PosteriorSummary(chains: chains, names: posterior.reportedNames,
                                               maximumTreeDepth: cfg.maxTreeDepth, report: posterior.report)
                let (quantities, divergencesOK) = posterior.check(summary)
                let passed = divergencesOK && quantities.allSatisfy(\.passed)
                print("  quantity         mean  (ref)        z      sd ratio   ess_bulk  rhat")
                quantities.forEach { print($0.line) }
                print("  divergences: \(summary.sampler?.totalDivergences ?? 0)\(divergencesOK ? "" : " <- too many")")
                print("\(passed ? "PASS" : "FAIL") \(name) (\(format(seconds)) s)\n")
                passedCount += passed ? 1 : 0
            } catch {
                print("FAIL \(name): \(error)\n")
            }
        }
        print("SUMMARY posteriordb: \(passedCount)/\(ReferencePosterior.names.count) posteriors PASS")
        return passedCount == ReferencePosterior.names.count
    }
}

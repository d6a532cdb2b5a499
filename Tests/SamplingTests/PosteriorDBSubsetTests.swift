import Sampling
import Testing
import TestSupport

/// The fast subset of the posteriordb validation (`curvecast-bench posteriordb` runs all five
/// with Stan's default iteration counts in a release build): two posteriors, 4 chains x
/// (500 warmup + 500 draws), same pass rule (means within 4 combined MCSEs, sds within 10%).
/// The sd rule at 2,000 draws: the relative MC error of an sd is about 1/sqrt(2 ESS) <= 2.5% for
/// ESS >= 800, so 10% is 4 standard errors.
struct PosteriorDBSubsetTests {
    @Test(arguments: ["kidiq-kidscore_momiq", "garch-garch11"])
    func matchesTheReference(_ name: String) throws {
        let posterior = try ReferencePosterior.load(name)
        var cfg = SamplerConfiguration()
        cfg.warmup = 500
        cfg.samples = 500
        cfg.seed = 11
        let chains = try Sampler.run(configuration: cfg) { _ in TapeLogDensity(posterior.tape) }
        let summary = PosteriorSummary(chains: chains, names: posterior.reportedNames,
                                       maximumTreeDepth: cfg.maxTreeDepth, report: posterior.report)
        let (quantities, divergencesOK) = posterior.check(summary)
        #expect(divergencesOK)
        for q in quantities {
            #expect(q.passed, "\(name): \(q.line)")
            #expect(q.rhat < 1.01, "\(name): \(q.line)")
        }
    }
}

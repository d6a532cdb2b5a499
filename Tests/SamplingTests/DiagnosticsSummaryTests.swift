import Foundation
import Testing
import TestSupport
@testable import Sampling

@Suite("Posterior summary")
struct DiagnosticsSummaryTests {
    private func mixedSummary() -> PosteriorSummary {
        var random = DiagnosticsTestRandom(seed: 77)
        let good = random.normalChains(chains: 4, draws: 1000, mean: { _ in 10 }, scale: { _ in 2 })
        let bad = random.normalChains(chains: 4, draws: 1000, mean: { Double($0) })
        let sampler = SamplerDiagnostics(
            transitions: [1000, 1000, 1000, 1000], divergences: [0, 2, 1, 0], treeDepthHits: [0, 0, 0, 0],
            maximumTreeDepth: 10, energyBFMI: [0.9, 1.1, 0.25, 1.0], stepSizes: [0.8, 0.75, 0.9, 0.82],
            leapfrogSteps: [7000, 7100, 6900, 7050])
        return PosteriorSummary(parameters: [("alpha", good), ("beta", bad)], sampler: sampler)
    }

    @Test("the table lists every parameter with stansummary's columns")
    func table() {
        let summary = mixedSummary()
        let lines = summary.table.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        for header in ["Mean", "MCSE", "StdDev", "5%", "50%", "95%", "N_Eff(bulk)", "ESS_tail", "R_hat"] {
            #expect(lines[0].contains(header))
        }
        #expect(lines[1].hasPrefix("alpha") && lines[2].hasPrefix("beta "))
        // Aligned: every row has the same width, since each column is right-aligned to one width.
        #expect(Set(lines.map(\.count)).count == 1, "\(summary.table)")
        let alpha = summary["alpha"]!
        #expect(abs(alpha.mean - 10) < 0.2 && abs(alpha.standardDeviation - 2) < 0.1)
        #expect(alpha.q5 < alpha.q50 && alpha.q50 < alpha.q95)
        #expect(alpha.rhat < 1.01 && alpha.essBulk > 400)
    }

    @Test("warnings name the bad R-hat, the divergences and the low E-BFMI in words")
    func warnings() {
        let summary = mixedSummary()
        let messages = summary.warnings.map(\.message)
        #expect(messages.contains("3 of 4000 transitions diverged; the posterior may be biased, "
            + "try a higher target acceptance rate or reparameterize"))
        #expect(messages.contains { $0.hasPrefix("R-hat ") && $0.contains("> 1.01 for beta") })
        #expect(!messages.contains { $0.contains("for alpha") })
        #expect(messages.contains { $0.hasPrefix("E-BFMI 0.250 < 0.3 in chain 3") })
        #expect(summary.description.contains("Warnings:"))
        #expect(summary.description.contains(summary.table))
    }

    @Test("R-hat just above the threshold is printed so that it reads as above it")
    func rhatWording() {
        #expect(DiagnosticWarning.highRHat(parameter: "alpha", value: 1.0504).message.hasPrefix("R-hat 1.050 > 1.01 for alpha"))
        #expect(DiagnosticWarning.highRHat(parameter: "alpha", value: 1.0104).message.hasPrefix("R-hat 1.0104 > 1.01 for alpha"))
    }

    @Test("low ESS is reported against 100 per chain")
    func lowESS() {
        var random = DiagnosticsTestRandom(seed: 12)
        let sticky = random.ar1Chains(chains: 4, draws: 1000, phi: 0.97)
        let summary = PosteriorSummary(parameters: [("sigma", sticky)])
        #expect(summary.minimumESS == 400)
        #expect(summary.warnings.contains { $0.message.hasPrefix("bulk ESS ") && $0.message.contains("< 400 for sigma") })
    }

    @Test("chains x draws x parameters layout and the Stan files summarise without warnings")
    func bernoulliSummary() throws {
        let files = try (1...4).map { try StanCSV(contentsOf: RepositoryPaths.sharedFile("stan-diagnostics/bern\($0).csv")) }
        let names = ["lp__", "theta"]
        let indices = try names.map { name in try #require(files[0].columns.firstIndex(of: name)) }
        let draws = files.map { file in file.rows.map { row in indices.map { row[$0] } } }
        let energies = try files.map { try #require($0.column("energy__")) }
        let divergences = try files.map { Int(try #require($0.column("divergent__")).reduce(0, +)) }
        let sampler = SamplerDiagnostics(
            energies: energies, divergences: divergences, treeDepthHits: [0, 0, 0, 0],
            maximumTreeDepth: 10, stepSizes: try files.map { try #require($0.column("stepsize__")).first! },
            leapfrogSteps: try files.map { Int(try #require($0.column("n_leapfrog__")).reduce(0, +)) })
        let summary = PosteriorSummary(names: names, draws: draws, sampler: sampler)
        #expect(summary.chains == 4 && summary.drawsPerChain == 1000)
        #expect(abs(summary["theta"]!.essBulk - 1407.5124) < 1e-4)
        #expect(summary.warnings.isEmpty, "\(summary.description)")
        // theta's posterior is Beta(3, 9) (2 successes in 10, uniform prior): mean 0.25.
        #expect(abs(summary["theta"]!.mean - 0.25) < 3 * summary["theta"]!.mcseMean + 0.005)
    }
}

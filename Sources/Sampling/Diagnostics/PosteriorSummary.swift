/// Summary statistics and convergence diagnostics of one parameter.
public struct ParameterSummary: Sendable, Equatable {
    public var name: String
    /// Posterior mean over all draws.
    public var mean: Double
    /// Posterior standard deviation over all draws (n - 1 denominator).
    public var standardDeviation: Double
    /// Monte Carlo standard error of the mean, `MCMCDiagnostics.mcseMean`.
    public var mcseMean: Double
    /// Monte Carlo standard error of the standard deviation, `MCMCDiagnostics.mcseSD`.
    public var mcseSD: Double
    /// Type-7 quantiles over all draws at 5%, 50% and 95%.
    public var q5: Double
    public var q50: Double
    public var q95: Double
    public var essBulk: Double
    public var essTail: Double
    /// max(bulk R-hat, tail R-hat).
    public var rhat: Double

    /// Computes every statistic from the draws of one parameter (chains x draws).
    public init(name: String, draws: [[Double]]) {
        self.name = name
        let all = draws.flatMap { $0 }
        let moments = MCMCDiagnostics.meanAndStandardDeviation(all)
        mean = moments.mean
        standardDeviation = moments.sd
        let q = MCMCDiagnostics.quantiles(all, probabilities: [0.05, 0.5, 0.95])
        (q5, q50, q95) = (q[0], q[1], q[2])
        mcseMean = MCMCDiagnostics.mcseMean(draws)
        mcseSD = MCMCDiagnostics.mcseSD(draws)
        if let split = MCMCDiagnostics.validatedSplit(draws) {
            essBulk = MCMCDiagnostics.essBulk(split: split)
            essTail = MCMCDiagnostics.essTail(split: split)
            rhat = max(MCMCDiagnostics.rhatBulk(split: split), MCMCDiagnostics.rhatTail(split: split))
        } else {
            (essBulk, essTail, rhat) = (.nan, .nan, .nan)
        }
    }
}

/// The posterior summary of a run: per-parameter statistics and diagnostics, the sampler's
/// health, and the warnings that follow from them. `description` prints it like CmdStan's
/// `stansummary`.
public struct PosteriorSummary: Sendable, CustomStringConvertible {
    public var parameters: [ParameterSummary]
    public var sampler: SamplerDiagnostics?
    public var chains: Int
    public var drawsPerChain: Int

    /// Summarises parameters given as (name, chains x draws) pairs; every parameter must have
    /// the same number of chains and draws.
    public init(parameters: [(name: String, draws: [[Double]])], sampler: SamplerDiagnostics? = nil) {
        let first = parameters.first?.draws
        let chainCount = first?.count ?? 0
        let drawCount = first?.first?.count ?? 0
        for p in parameters {
            precondition(p.draws.count == chainCount && p.draws.allSatisfy { $0.count == drawCount },
                         "parameter \(p.name): expected \(chainCount) chains of \(drawCount) draws")
        }
        chains = chainCount
        drawsPerChain = drawCount
        self.parameters = parameters.map { ParameterSummary(name: $0.name, draws: $0.draws) }
        self.sampler = sampler
    }

    /// Summarises draws laid out chains x draws x parameters, with one name per parameter.
    public init(names: [String], draws: [[[Double]]], sampler: SamplerDiagnostics? = nil) {
        let perParameter = names.indices.map { k in
            (name: names[k], draws: draws.map { chain in
                chain.map { draw in
                    precondition(draw.count == names.count, "each draw needs \(names.count) values")
                    return draw[k]
                }
            })
        }
        self.init(parameters: perParameter, sampler: sampler)
    }

    /// The summary of one parameter by name.
    public subscript(name: String) -> ParameterSummary? {
        parameters.first { $0.name == name }
    }

    /// The bulk and tail ESS below which a warning is given: 100 per chain (Vehtari et al. 2021).
    public var minimumESS: Double { ConvergenceThresholds.minimumESSPerChain * Double(chains) }

    /// Every problem found, in order: sampler warnings, then per-parameter ones.
    public var warnings: [DiagnosticWarning] {
        var result: [DiagnosticWarning] = []
        if let s = sampler {
            if s.totalDivergences > 0 {
                result.append(.divergences(count: s.totalDivergences, transitions: s.totalTransitions))
            }
            if s.totalTreeDepthHits > 0 {
                result.append(.treeDepthSaturated(
                    count: s.totalTreeDepthHits, transitions: s.totalTransitions,
                    maximumDepth: s.maximumTreeDepth))
            }
            for (chain, bfmi) in s.energyBFMI.enumerated() where bfmi < ConvergenceThresholds.minimumEBFMI {
                result.append(.lowEBFMI(chain: chain + 1, value: bfmi))
            }
        }
        for p in parameters {
            if p.rhat.isNaN || p.essBulk.isNaN || p.essTail.isNaN {
                result.append(.undefinedDiagnostics(parameter: p.name))
                continue
            }
            if p.rhat > ConvergenceThresholds.maximumRHat {
                result.append(.highRHat(parameter: p.name, value: p.rhat))
            }
            if p.essBulk < minimumESS {
                result.append(.lowBulkESS(parameter: p.name, value: p.essBulk, minimum: minimumESS))
            }
            if p.essTail < minimumESS {
                result.append(.lowTailESS(parameter: p.name, value: p.essTail, minimum: minimumESS))
            }
        }
        return result
    }
}

import LinearAlgebra

extension SamplerDiagnostics {
    /// The sampler-level diagnostics of finished chains (post-warmup transitions only); a
    /// transition "hits" the tree-depth limit when its depth reached `maximumTreeDepth`, as in
    /// Stan's `diagnose`.
    public init(chains: [ChainResult], maximumTreeDepth: Int) {
        self.init(
            energies: chains.map(\.statistics.energy),
            divergences: chains.map(\.statistics.divergences),
            treeDepthHits: chains.map { $0.statistics.treeDepth.filter { $0 >= maximumTreeDepth }.count },
            maximumTreeDepth: maximumTreeDepth,
            stepSizes: chains.map(\.stepSize),
            leapfrogSteps: chains.map { $0.statistics.leapfrogSteps.reduce(0, +) })
    }
}

extension PosteriorSummary {
    /// Summarizes the quantities `report` derives from every post-warmup draw (for example the
    /// constrained parameters from the unconstrained coordinates), with the chains' sampler
    /// diagnostics.
    public init(chains: [ChainResult], names: [String], maximumTreeDepth: Int,
                report: ([Double]) -> [Double]) {
        let draws: [[[Double]]] = chains.map { chain in
            (0..<chain.draws.rows).map { report(chain.draws.row($0)) }
        }
        self.init(names: names, draws: draws,
                  sampler: SamplerDiagnostics(chains: chains, maximumTreeDepth: maximumTreeDepth))
    }
}

/// Sampler-level health of a NUTS run, one entry per chain, as plain numbers.
///
/// The sampler fills this after sampling; `PosteriorSummary` turns it into warnings. All arrays
/// are indexed by chain and count post-warmup transitions only.
public struct SamplerDiagnostics: Sendable, Equatable {
    /// Post-warmup transitions per chain.
    public var transitions: [Int]
    /// Divergent transitions per chain.
    public var divergences: [Int]
    /// Transitions per chain that stopped because the tree reached `maximumTreeDepth`.
    public var treeDepthHits: [Int]
    /// The tree-depth limit the sampler used (Stan's default is 10).
    public var maximumTreeDepth: Int
    /// E-BFMI per chain, see `MCMCDiagnostics.energyBFMI(_:)`.
    public var energyBFMI: [Double]
    /// Adapted step size per chain.
    public var stepSizes: [Double]
    /// Total leapfrog steps (gradient evaluations) per chain.
    public var leapfrogSteps: [Int]

    public init(
        transitions: [Int], divergences: [Int], treeDepthHits: [Int], maximumTreeDepth: Int,
        energyBFMI: [Double], stepSizes: [Double], leapfrogSteps: [Int]
    ) {
        self.transitions = transitions
        self.divergences = divergences
        self.treeDepthHits = treeDepthHits
        self.maximumTreeDepth = maximumTreeDepth
        self.energyBFMI = energyBFMI
        self.stepSizes = stepSizes
        self.leapfrogSteps = leapfrogSteps
    }

    /// Builds the record from the per-transition energies (chains x transitions), computing
    /// E-BFMI per chain; the transition count per chain is the length of its energy series.
    public init(
        energies: [[Double]], divergences: [Int], treeDepthHits: [Int], maximumTreeDepth: Int,
        stepSizes: [Double], leapfrogSteps: [Int]
    ) {
        self.init(
            transitions: energies.map(\.count), divergences: divergences,
            treeDepthHits: treeDepthHits, maximumTreeDepth: maximumTreeDepth,
            energyBFMI: energies.map(MCMCDiagnostics.energyBFMI), stepSizes: stepSizes,
            leapfrogSteps: leapfrogSteps)
    }

    public var totalTransitions: Int { transitions.reduce(0, +) }
    public var totalDivergences: Int { divergences.reduce(0, +) }
    public var totalTreeDepthHits: Int { treeDepthHits.reduce(0, +) }
}

extension MCMCDiagnostics {
    /// Energy Bayesian fraction of missing information of one chain (Betancourt 2016,
    /// "Diagnosing suboptimal cotangent disintegrations in Hamiltonian Monte Carlo",
    /// arXiv:1604.00695), from the Hamiltonian E_n at each transition:
    /// ```
    /// E-BFMI = sum_{n=1}^{N-1} (E_n - E_{n-1})^2 / sum_{n=0}^{N-1} (E_n - Ebar)^2
    /// ```
    /// This is the ratio of sums Stan's `diagnose` uses; ArviZ's `bfmi` divides the mean of the
    /// N - 1 squared differences by the 1/N variance, which is larger by N/(N-1) (0.1% at
    /// N = 1000). Values below `ConvergenceThresholds.minimumEBFMI` (0.3) are a warning.
    ///
    /// NaN for fewer than 2 energies, a non-finite energy, or a constant series.
    public static func energyBFMI(_ energy: [Double]) -> Double {
        guard energy.count >= 2, energy.allSatisfy(\.isFinite) else { return .nan }
        let mean = energy.reduce(0, +) / Double(energy.count)
        var numerator = 0.0
        var denominator = 0.0
        for i in energy.indices {
            let c = energy[i] - mean
            denominator += c * c
            if i > 0 {
                let d = energy[i] - energy[i - 1]
                numerator += d * d
            }
        }
        guard denominator > 0 else { return .nan }
        return numerator / denominator
    }
}

/// The thresholds at which a posterior summary warns, each with its source.
public enum ConvergenceThresholds {
    /// R-hat (max of bulk and tail) above this means the chains disagree: Vehtari, Gelman,
    /// Simpson, Carpenter and Bürkner (2021), section 4.3, recommend using the draws only if
    /// R-hat < 1.01 (replacing the older 1.1 of Gelman and Rubin 1992).
    public static let maximumRHat = 1.01

    /// Bulk and tail ESS should each exceed 100 per chain: Vehtari et al. (2021), section 4.3
    /// ("ESS > 400" for the usual four chains), so that R-hat itself is reliable.
    public static let minimumESSPerChain = 100.0

    /// E-BFMI below 0.3 in a chain suggests the momentum resampling explores the energy
    /// distribution poorly, often a heavy-tailed or badly scaled posterior: Betancourt (2016),
    /// "Diagnosing suboptimal cotangent disintegrations in Hamiltonian Monte Carlo",
    /// arXiv:1604.00695; Stan's and ArviZ's warning level.
    public static let minimumEBFMI = 0.3
}

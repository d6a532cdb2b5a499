import Sampling

/// Our posterior against the reference: the rule used by `curvecast-bench posteriordb` and by
/// the fast subset in the tests.
///
/// A quantity passes when |mean - reference mean| <= 4 sqrt(mcse^2 + mcse_ref^2) (4 combined
/// Monte Carlo standard errors: a false alarm rate of about 6e-5 per quantity when both MCSEs
/// are right) and |sd / reference sd - 1| <= 10%. Divergences: none, or for a model known to
/// diverge occasionally under Stan as well, at most 1% of transitions.
extension ReferencePosterior {
    public static let meanToleranceInMCSE = 4.0
    public static let sdTolerance = 0.10
    public static let expectedDivergenceShare = 0.01

    public struct QuantityCheck: Sendable {
        public let name: String
        public let mean: Double
        public let referenceMean: Double
        /// (mean - reference) / combined MCSE.
        public let z: Double
        public let sdRatio: Double
        public let essBulk: Double
        public let rhat: Double
        public var passed: Bool { abs(z) <= meanToleranceInMCSE && abs(sdRatio - 1) <= sdTolerance }
        public var line: String {
            let label = name.padding(toLength: 10, withPad: " ", startingAt: 0)
            return "  \(label) " + String(format: "%10.4f (%10.4f) %6.2f  %6.3f  %8.0f  %.3f", mean, referenceMean, z, sdRatio, essBulk, rhat)
                + (passed ? "" : " <- off")
        }
    }

    public func check(_ summary: PosteriorSummary) -> (quantities: [QuantityCheck], divergencesOK: Bool) {
        let quantities: [QuantityCheck] = summary.parameters.compactMap { p in
            guard let ref = reference[p.name] else { return nil }
            let z = (p.mean - ref.mean) / (p.mcseMean * p.mcseMean + ref.mcseMean * ref.mcseMean).squareRoot()
            return QuantityCheck(name: p.name, mean: p.mean, referenceMean: ref.mean, z: z,
                                 sdRatio: p.standardDeviation / ref.sd, essBulk: p.essBulk, rhat: p.rhat)
        }
        let divergences = summary.sampler?.totalDivergences ?? 0
        let transitions = summary.sampler?.totalTransitions ?? 1
        let divergencesOK = divergences == 0
            || (divergencesExpected && Double(divergences) <= Self.expectedDivergenceShare * Double(transitions))
        return (quantities, divergencesOK)
    }
}

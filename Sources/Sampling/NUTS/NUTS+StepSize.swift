extension NUTSSampler {
    /// Why the step-size search failed (Stan `base_hmc::init_stepsize` errors).
    public enum StepSizeFailure: Error, CustomStringConvertible {
        case improperPosterior
        case noAcceptableStepSize
        public var description: String {
            switch self {
            case .improperPosterior:
                return "Step-size search: the step size grew past 1e7; the posterior is probably improper, check the model"
            case .noAcceptableStepSize:
                return "Step-size search: no acceptably small step size exists; the posterior may not be continuous"
            }
        }
    }

    /// Stan's heuristic for a starting step size (`base_hmc::init_stepsize`).
    ///
    /// From the current position with a fresh momentum, take one leapfrog step of size eps. If
    /// H0 - h > log(0.8) (the step is "too easy"), keep doubling eps, otherwise halving, each
    /// trial with a fresh momentum from the same position, until the comparison flips. The first
    /// trial of the loop re-tests the current eps, exactly as Stan does. Skipped if eps is 0,
    /// NaN or > 1e7. The position (and its cached gradient) are restored afterwards.
    public mutating func initializeStepSize() throws(StepSizeFailure) {
        if stepSize == 0 || stepSize > 1e7 || stepSize.isNaN { return }
        let qInit = z.q, gradientInit = z.gradient, logDensityInit = z.logDensity
        let logEightTenths = _log(0.8)

        func trial(_ s: inout NUTSSampler) -> Double {
            s.z.q = qInit
            s.z.gradient = gradientInit
            s.z.logDensity = logDensityInit
            s.z.resampleMomentum(s.metric, using: &s.rng)
            let h0 = s.z.hamiltonian
            s.z.leapfrog(stepSize: s.stepSize, metric: s.metric, density: &s.density)
            s.gradientEvaluations += 1
            return h0 - s.z.hamiltonian    // h = NaN was already mapped to +inf
        }

        let direction = trial(&self) > logEightTenths ? 1 : -1
        while true {
            let deltaH = trial(&self)
            if direction == 1 && !(deltaH > logEightTenths) { break }
            if direction == -1 && !(deltaH < logEightTenths) { break }
            stepSize = direction == 1 ? 2 * stepSize : 0.5 * stepSize
            if stepSize > 1e7 { restore(qInit, gradientInit, logDensityInit); throw .improperPosterior }
            if stepSize == 0 { restore(qInit, gradientInit, logDensityInit); throw .noAcceptableStepSize }
        }
        restore(qInit, gradientInit, logDensityInit)
    }

    private mutating func restore(_ q: [Double], _ g: [Double], _ lp: Double) {
        z.q = q
        z.gradient = g
        z.logDensity = lp
    }
}

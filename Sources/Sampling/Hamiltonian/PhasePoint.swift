/// A point z = (q, p) of phase space with everything the integrator caches about it.
///
/// Caching the gradient here is what makes one leapfrog step cost exactly one gradient
/// evaluation (Stan recomputes it at the start of every transition; we carry it over).
/// `logDensity` is set to -inf whenever the density or its gradient was not finite there, so
/// the Hamiltonian is +inf and the point is rejected / divergent, as in Stan when `log_prob` throws.
struct PhasePoint {
    var q: [Double]
    var p: [Double]
    /// p# = M^-1 p for the current p.
    var pSharp: [Double]
    /// d log p / dq at q (note: the gradient of -V).
    var gradient: [Double]
    var logDensity: Double
    /// T(p) = 0.5 p . p#.
    var kineticEnergy: Double

    init(dimension d: Int) {
        q = Array(repeating: 0, count: d)
        p = Array(repeating: 0, count: d)
        pSharp = Array(repeating: 0, count: d)
        gradient = Array(repeating: 0, count: d)
        logDensity = -.infinity
        kineticEnergy = 0
    }

    var dimension: Int { q.count }

    /// H = V + T = -log p(q) + T(p); NaN is mapped to +inf (Stan `base_nuts.hpp`).
    var hamiltonian: Double {
        let h = -logDensity + kineticEnergy
        return h.isNaN ? .infinity : h
    }

    /// Evaluates log p and its gradient at q (one gradient evaluation).
    mutating func evaluate<D: LogDensity>(_ density: inout D) {
        let lp = density.logDensity(at: q, gradient: &gradient)
        var finite = lp.isFinite
        if finite {
            for g in gradient where !g.isFinite { finite = false; break }
        }
        logDensity = finite ? lp : -.infinity
    }

    /// Recomputes p# and T after p changed.
    mutating func refreshKinetic(_ metric: Metric) {
        metric.sharp(p, into: &pSharp)
        kineticEnergy = metric.kineticEnergy(p, sharp: pSharp)
    }

    /// Draws a fresh momentum p ~ N(0, M) and updates p#, T.
    mutating func resampleMomentum(_ metric: Metric, using rng: inout Xoshiro256StarStar) {
        metric.drawMomentum(into: &p, using: &rng)
        refreshKinetic(metric)
    }
}

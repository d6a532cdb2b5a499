/// The leapfrog (Stormer-Verlet) integrator for H(q, p) = V(q) + 0.5 p' M^-1 p.
///
/// ```
/// p <- p - (eps/2) dV/dq(q)        = p + (eps/2) grad log p(q)
/// q <- q + eps M^-1 p
/// p <- p - (eps/2) dV/dq(q_new)
/// ```
/// Symplectic and time-reversible, with energy error O(eps^2) over a fixed time span
/// (Betancourt 2017, section 5.1; Stan `integrators/expl_leapfrog.hpp`). A negative `eps`
/// integrates backwards in time (NUTS extends trajectories in both directions). Exactly one
/// gradient evaluation per step: the gradient at the start is the cached one.
extension PhasePoint {
    mutating func leapfrog<D: LogDensity>(stepSize eps: Double, metric: Metric, density: inout D) {
        let half = 0.5 * eps
        let d = dimension
        for i in 0..<d { p[i] += half * gradient[i] }
        metric.sharp(p, into: &pSharp)
        for i in 0..<d { q[i] += eps * pSharp[i] }
        evaluate(&density)
        for i in 0..<d { p[i] += half * gradient[i] }
        refreshKinetic(metric)
    }
}

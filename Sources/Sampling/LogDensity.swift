/// A differentiable log density on R^d, the only thing the sampler sees.
///
/// The density lives on the unconstrained space: constrained parameters are transformed by the
/// model and the log-Jacobian is already included. `logDensity(at:gradient:)` returns log p(q) up
/// to an additive constant and writes d log p / dq into `gradient` (which has `dimension`
/// elements). A non-finite return value (NaN or -inf), or a non-finite gradient, means that q is
/// outside the support or the density failed there: the sampler treats the state as having
/// infinite energy (the step is rejected and, inside NUTS, counted as divergent), as Stan does
/// when the log density throws.
///
/// Implementations may keep scratch buffers (e.g. an autodiff tape), so the method is `mutating`
/// and an instance is never shared between threads: parallel chains each build their own
/// instance from a factory.
public protocol LogDensity {
    /// d, the number of unconstrained coordinates.
    var dimension: Int { get }

    /// log p(q) + const, with its gradient written into `gradient`.
    mutating func logDensity(at q: [Double], gradient: inout [Double]) -> Double
}

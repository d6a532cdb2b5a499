import Autodiff
import Foundation

/// A prior's log density of one scalar as a tape node: forward `PriorDistribution.logDensity`,
/// backward its analytic derivative (the formulas live with the distributions).
struct PriorLogDensity: CustomVectorOperation {
    let prior: PriorDistribution
    var name: String { "prior_log_density" }
    var outputIsScalar: Bool { true }
    func outputCount(inputCounts: [Int]) -> Int {
        precondition(inputCounts == [1], "PriorLogDensity: one scalar input")
        return 1
    }
    mutating func forward(_ io: CustomOperationIO) { io.output[0] = prior.logDensity(io.input(0)[0]) }
    mutating func backward(_ io: CustomOperationIO) {
        io.inputAdjoint(0)?[0] += io.outputAdjoint[0] * prior.logDensityDerivative(io.input(0)[0])
    }
}

extension Support {
    /// Records x = constrain(u) on the tape with its log-Jacobian log |dx/du|:
    /// - positive: x = e^u, log J = u;
    /// - unit: x = logistic(u) = exp(-softplus(-u)), log J = log x + log(1 - x)
    ///   = -softplus(-u) - softplus(u) (no cancellation at either end);
    /// - interval(a, b): x = a + (b - a) logistic(u), log J = log(b - a) - softplus(-u) - softplus(u);
    /// - real: x = u, log J = 0.
    func record(_ u: Variable) -> (value: Variable, logJacobian: Variable?) {
        let r = u.recorder
        switch self {
        case .real: return (u, nil)
        case .positive: return (r.exp(u), u)
        case .unit:
            let logX = -r.softplus(-u)
            return (r.exp(logX), logX - r.softplus(u))
        case .interval(let a, let b):
            let logX = -r.softplus(-u)
            return (a + (b - a) * r.exp(logX), logX - r.softplus(u) + Foundation.log(b - a))
        }
    }
}


import Foundation
import LinearAlgebra

/// The least-squares power-law baseline of CALIBRATION_NOTES ("SciPy curve_fit + delta method"):
///
/// ```
/// L(t) = E + A t^(-alpha),   E, A, alpha > 0
/// ```
///
/// fitted to the raw values by Levenberg-Marquardt, with a Gaussian band from the delta method.
///
/// Parameterization. Positivity comes from fitting theta = (log E, log A_r, log alpha), where
/// A_r = A t_r^(-alpha) is the power-law term at a reference step t_r (the last fit step):
///
/// ```
/// L(t) = E + A_r (t / t_r)^(-alpha)
/// ```
///
/// With steps up to 1e5 and alpha ~ 0.5, A itself is ~100-1000 times the loss scale and strongly
/// correlated with alpha; A_r is of the order of the loss and nearly decorrelated, which keeps
/// J'J well conditioned. The reported A is A_r t_r^alpha.
///
/// The delta method is invariant under this smooth one-to-one reparameterization at first
/// order (with theta = phi(eta), J_eta = J_theta D and g_eta = D' g_theta, so
/// g_eta' (J_eta' J_eta)^-1 g_eta = g_theta' (J_theta' J_theta)^-1 g_theta): the band equals
/// curve_fit's on (E, A, alpha) whenever the optimum is interior.
public enum PowerLawLeastSquares {
    /// Why a fit failed.
    public enum FitError: Error, Equatable, CustomStringConvertible {
        /// Fewer points than `BacktestProtocol.minimumFitPoints`.
        case tooFewPoints(count: Int, minimum: Int)
        /// Steps and values differ in length, or a step is not positive, or a value not finite.
        case invalidData(String)
        /// No start reached a finite sum of squares.
        case noFit

        public var description: String {
            switch self {
            case .tooFewPoints(let n, let m): return "power-law fit: \(n) points, need at least \(m)"
            case .invalidData(let s): return "power-law fit: \(s)"
            case .noFit: return "power-law fit: no start converged to a finite sum of squares"
            }
        }
    }

    /// Fits the power law by Levenberg-Marquardt from `starts` (a grid over E and alpha, see
    /// `startingPoints`) and keeps the smallest sum of squares.
    public static func fit(steps: [Double], values: [Double]) throws(FitError) -> PowerLawFit {
        let n = steps.count
        guard n == values.count else { throw .invalidData("\(n) steps but \(values.count) values") }
        guard n >= BacktestProtocol.minimumFitPoints else {
            throw .tooFewPoints(count: n, minimum: BacktestProtocol.minimumFitPoints)
        }
        guard steps.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw .invalidData("a step is not positive and finite") }
        guard values.allSatisfy(\.isFinite) else { throw .invalidData("a value is not finite") }
        let tRef = steps.max()!
        let logS = steps.map { log($0 / tRef) }
        var best: LevenbergMarquardt.Result?
        for start in startingPoints(steps: steps, values: values, referenceStep: tRef) {
            let r = LevenbergMarquardt.minimize(theta: start, logS: logS, y: values)
            if r.sse.isFinite, r.sse < (best?.sse ?? .infinity) { best = r }
        }
        guard let b = best else { throw .noFit }
        return PowerLawFit(theta: b.theta, referenceStep: tRef, logS: logS, values: values,
                           iterations: b.iterations, converged: b.converged)
    }

    /// Starting points: E at 0.1, 0.5 and 0.9 of the smallest value (the floor lies below every
    /// observed loss) times alpha in {0.1, 0.5, 1} (the range of exponents reported for learning
    /// curves); A_r from the value at the reference step minus E. Nine starts cover the two
    /// regimes seen on this corpus: a high floor with a steep exponent and a floor near zero with
    /// a small exponent (CALIBRATION_NOTES lesson 1).
    static func startingPoints(steps: [Double], values: [Double], referenceStep: Double) -> [[Double]] {
        let floor = values.min()!
        let scale = max(abs(floor), 1e-12)
        let lastValue = values[steps.firstIndex(of: referenceStep)!]
        var starts: [[Double]] = []
        for fraction in [0.1, 0.5, 0.9] {
            let e = max(fraction * floor, 1e-6 * scale)
            let ar = max(lastValue - e, 1e-3 * scale)
            for alpha in [0.1, 0.5, 1.0] { starts.append([log(e), log(ar), log(alpha)]) }
        }
        return starts
    }
}

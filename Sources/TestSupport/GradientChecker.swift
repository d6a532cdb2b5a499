import Autodiff
import Foundation

/// Finite-difference gradient checking for tapes and any value-and-gradient function.
///
/// Each coordinate is differentiated with the fourth-order central stencil
/// ```
/// f'(x) ~ (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / (12 h)
/// ```
/// with a step relative to the coordinate, h = 1e-4 * |x| (1e-6 at x = 0), or relative to a
/// caller-given scale such as the distance to a domain edge (truncation error ~(h/scale)^4). The rounding error of the stencil is about 1.5 * eps * max|f| / h, so a
/// mismatch is reported only when |analytic - numeric| exceeds
/// `relativeTolerance * max(|analytic|, |numeric|) + 10 * eps * max|f| / h`.
public struct GradientChecker {
    /// A coordinate whose analytic and numeric derivatives disagree.
    public struct Mismatch: CustomStringConvertible, Sendable {
        public let name: String
        public let coordinate: Int
        public let point: [Double]
        public let analytic: Double
        public let numeric: Double
        public var description: String {
            "\(name): d/dx[\(coordinate)] at \(point): analytic \(analytic), finite difference \(numeric)"
        }
    }

    public var relativeTolerance: Double

    public init(relativeTolerance: Double = 1e-6) {
        self.relativeTolerance = relativeTolerance
    }

    /// Checks `f`, a function returning the value and writing the gradient, at `point`.
    public func check(_ name: String, at point: [Double], stepScales: [Double]? = nil,
                      _ f: (_ x: [Double], _ gradient: inout [Double]) -> Double) -> [Mismatch] {
        var gradient = [Double](repeating: 0, count: point.count)
        let f0 = f(point, &gradient)
        var scratch = [Double](repeating: 0, count: point.count)
        var mismatches: [Mismatch] = []
        for i in point.indices {
            let scale = stepScales?[i] ?? abs(point[i])
            let h = scale > 0 ? 1e-4 * scale : 1e-6
            func at(_ k: Double) -> Double {
                var x = point
                x[i] += k * h
                return f(x, &scratch)
            }
            let fp2 = at(2), fp1 = at(1), fm1 = at(-1), fm2 = at(-2)
            let numeric = (-fp2 + 8 * fp1 - 8 * fm1 + fm2) / (12 * h)
            let fmax = [f0, fp2, fp1, fm1, fm2].map(abs).max()!
            let rounding = 10 * Double.ulpOfOne * fmax / h
            let analytic = gradient[i]
            let bothNonFinite = !analytic.isFinite && !numeric.isFinite
            if bothNonFinite { continue }
            if !(abs(analytic - numeric) <= relativeTolerance * max(abs(analytic), abs(numeric)) + rounding) {
                mismatches.append(Mismatch(name: name, coordinate: i, point: point, analytic: analytic, numeric: numeric))
            }
        }
        return mismatches
    }

    /// Checks a tape's gradient at `point`.
    public func check(_ name: String, tape: Tape, at point: [Double], stepScales: [Double]? = nil) -> [Mismatch] {
        var tape = tape
        return check(name, at: point, stepScales: stepScales) { x, g in tape.valueAndGradient(at: x, gradient: &g) }
    }
}

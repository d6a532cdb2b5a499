/// Limited-memory BFGS maximization of a log density (Nocedal & Wright 2006, "Numerical
/// Optimization", algorithms 7.4 and 7.5), used to find posterior modes for initialization and
/// for the Laplace preconditioner.
///
/// The search direction is the two-loop recursion over the last `memory` pairs
/// (s_k = x_{k+1} - x_k, y_k = g_{k+1} - g_k, of the negative log density), scaled by
/// gamma = s'y / y'y; the step length backtracks from 1 until the Armijo condition
/// f(x + a d) <= f(x) + 1e-4 a g'd holds. Non-finite values count as a failed step (the
/// backtracking shrinks into the support, as Stan's optimizer does). A pair with s'y <= 0 is
/// skipped to keep the inverse-Hessian approximation positive definite.
public struct LBFGS: Sendable {
    public var memory = 8
    public var maxIterations = 500
    /// Stop when |f_k - f_{k+1}| <= relativeTolerance * max(|f|, 1) (Stan's tol_rel_obj scale).
    public var relativeTolerance = 1e-12
    /// Stop when the largest gradient component is below this.
    public var gradientTolerance = 1e-8

    public init() {}

    public struct Result: Sendable {
        public let point: [Double]
        public let logDensity: Double
        public let iterations: Int
        public let gradientEvaluations: Int
        public let converged: Bool
    }

    /// Maximizes `density` from `start` (where log p must be finite).
    public func maximize<D: LogDensity>(_ density: inout D, from start: [Double]) -> Result {
        let d = density.dimension
        var x = start
        var gradient = [Double](repeating: 0, count: d)
        var evaluations = 1
        // Minimize f = -log p; g = -grad log p.
        var f = -density.logDensity(at: x, gradient: &gradient)
        var g = gradient.map { -$0 }
        guard f.isFinite, g.allSatisfy(\.isFinite) else {
            return Result(point: x, logDensity: -f, iterations: 0, gradientEvaluations: 1, converged: false)
        }
        var sHistory: [[Double]] = [], yHistory: [[Double]] = [], rhoHistory: [Double] = []
        var direction = [Double](repeating: 0, count: d)
        var alphas = [Double](repeating: 0, count: memory)
        var trial = x
        for iteration in 1...maxIterations {
            // Two-loop recursion: direction = -H g.
            for i in 0..<d { direction[i] = -g[i] }
            let m = sHistory.count
            for k in stride(from: m - 1, through: 0, by: -1) {
                alphas[k] = rhoHistory[k] * dot(sHistory[k], direction)
                for i in 0..<d { direction[i] -= alphas[k] * yHistory[k][i] }
            }
            if m > 0 {
                let gamma = dot(sHistory[m - 1], yHistory[m - 1]) / dot(yHistory[m - 1], yHistory[m - 1])
                for i in 0..<d { direction[i] *= gamma }
            } else {
                // First step: a unit-length steepest-descent step.
                let norm = max(dot(g, g).squareRoot(), 1e-300)
                for i in 0..<d { direction[i] /= norm }
            }
            for k in 0..<m {
                let beta = rhoHistory[k] * dot(yHistory[k], direction)
                for i in 0..<d { direction[i] += sHistory[k][i] * (alphas[k] - beta) }
            }
            var slope = dot(g, direction)
            if !(slope < 0) {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                for i in 0..<d { direction[i] = -g[i] }
                slope = -dot(g, g)
            }
            // Backtracking line search with the Armijo condition.
            var step = 1.0
            var accepted = false
            var fNew = f
            for _ in 0..<60 {
                for i in 0..<d { trial[i] = x[i] + step * direction[i] }
                fNew = -density.logDensity(at: trial, gradient: &gradient)
                evaluations += 1
                if fNew.isFinite, gradient.allSatisfy(\.isFinite), fNew <= f + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                step *= 0.5
            }
            if !accepted {
                return Result(point: x, logDensity: -f, iterations: iteration, gradientEvaluations: evaluations,
                              converged: maxAbs(g) < 1e-3)
            }
            let gNew = gradient.map { -$0 }
            var s = [Double](repeating: 0, count: d), y = [Double](repeating: 0, count: d)
            for i in 0..<d { s[i] = trial[i] - x[i]; y[i] = gNew[i] - g[i] }
            let sy = dot(s, y)
            if sy > 1e-12 * dot(y, y).squareRoot() * dot(s, s).squareRoot() {
                if sHistory.count == memory { sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst() }
                sHistory.append(s); yHistory.append(y); rhoHistory.append(1 / sy)
            }
            let change = abs(f - fNew)
            x = trial
            f = fNew
            g = gNew
            if maxAbs(g) <= gradientTolerance || change <= relativeTolerance * max(abs(f), 1) {
                return Result(point: x, logDensity: -f, iterations: iteration, gradientEvaluations: evaluations,
                              converged: true)
            }
        }
        return Result(point: x, logDensity: -f, iterations: maxIterations, gradientEvaluations: evaluations,
                      converged: false)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    private func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
}

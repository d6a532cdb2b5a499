import LinearAlgebra

/// The Hessian of a log density by central differences of its gradient:
/// ```
/// H[:, j] ~ (grad(x + h_j e_j) - grad(x - h_j e_j)) / (2 h_j),   h_j = 1e-5 max(|x_j|, 1)
/// ```
/// symmetrized as (H + H') / 2 (2d gradient evaluations; error O(h^2) from truncation and
/// O(eps |grad| / h) from rounding, about 1e-10 relative for smooth densities).
public enum NumericalHessian {
    public static func of<D: LogDensity>(_ density: inout D, at x: [Double]) -> Matrix {
        let d = x.count
        var h = Matrix(rows: d, columns: d)
        var gPlus = [Double](repeating: 0, count: d), gMinus = gPlus
        var point = x
        for j in 0..<d {
            let step = 1e-5 * max(abs(x[j]), 1)
            point[j] = x[j] + step
            _ = density.logDensity(at: point, gradient: &gPlus)
            point[j] = x[j] - step
            _ = density.logDensity(at: point, gradient: &gMinus)
            point[j] = x[j]
            for i in 0..<d { h[i, j] = (gPlus[i] - gMinus[i]) / (2 * step) }
        }
        for i in 0..<d { for j in (i + 1)..<max(d, i + 1) {
            let s = 0.5 * (h[i, j] + h[j, i])
            h[i, j] = s
            h[j, i] = s
        } }
        return h
    }
}

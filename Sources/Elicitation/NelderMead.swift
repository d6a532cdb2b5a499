/// Nelder-Mead simplex minimization (Nelder & Mead 1965, standard coefficients 1, 2, 0.5, 0.5).
///
/// Used for the two-parameter fits of the elicitation, where the objective is smooth (quantile
/// functions, or Monte Carlo quantiles with common random numbers) and a few hundred evaluations
/// are cheap. Non-finite objective values count as +infinity, so constraints can be expressed by
/// returning `.infinity`.
func nelderMeadMinimize(
    start: [Double], step: Double = 0.5, iterations: Int = 400, tolerance: Double = 1e-10,
    _ f: ([Double]) -> Double
) -> (point: [Double], value: Double) {
    let n = start.count
    func eval(_ x: [Double]) -> Double {
        let v = f(x)
        return v.isFinite ? v : .infinity
    }
    var simplex = [start]
    for i in 0..<n {
        var x = start
        x[i] += step
        simplex.append(x)
    }
    var values = simplex.map(eval)
    for _ in 0..<iterations {
        let order = values.indices.sorted { values[$0] < values[$1] }
        simplex = order.map { simplex[$0] }
        values = order.map { values[$0] }
        if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + tolerance) { break }
        var centroid = [Double](repeating: 0, count: n)
        for x in simplex[0..<n] { for j in 0..<n { centroid[j] += x[j] / Double(n) } }
        func along(_ c: Double) -> [Double] { (0..<n).map { centroid[$0] + c * (simplex[n][$0] - centroid[$0]) } }
        let reflected = along(-1), fr = eval(reflected)
        if fr < values[0] {
            let expanded = along(-2), fe = eval(expanded)
            if fe < fr { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
        } else if fr < values[n - 1] {
            simplex[n] = reflected; values[n] = fr
        } else {
            let contracted = fr < values[n] ? along(-0.5) : along(0.5)
            let fc = eval(contracted)
            if fc < min(fr, values[n]) {
                simplex[n] = contracted; values[n] = fc
            } else {
                for i in 1...n {
                    simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                    values[i] = eval(simplex[i])
                }
            }
        }
    }
    let best = values.indices.min { values[$0] < values[$1] }!
    return (simplex[best], values[best])
}

/// The least compute any rule can use at zero regret, among rules that never stop a run that
/// would beat the incumbent: the "record floor" of the replay report.
///
/// Such a rule keeps the incumbent equal to the best final value of every run so far (by
/// induction: a run that would beat it is trained to the end and becomes it), so the runs it must
/// train in full are exactly the records of the arrival order, the runs better than every run
/// before them (the first run is one); it could stop every other run at once. Its compute in an
/// order is therefore at least
///
///     floor(order) = sum_{r record} c_r / sum_r c_r
///
/// with c_r the steps a finished run r is charged (`ReplayPopulation.fullTrainingSteps`: the
/// horizon, for every run), and the floor of a population is its mean over the replay's own
/// orders. (The guards add to it: no rule stops a run before `minimumPoints` points, so no rule of
/// the replay reaches the floor in an order where some run is not a record.) For equal c_r and distinct final values, the expected number of records over
/// uniformly random orders of n runs is the harmonic number H_n = 1 + 1/2 + ... + 1/n (Renyi 1962,
/// "Theorie des elements saillants d'une suite d'observations"), so
///
///     E[floor] = H_n / n        (n = 2: 0.75, 3: 0.611, 4: 0.521, 10: 0.293, 21: 0.173)
///
/// above the compute target of 1/2 (`ReplayPopulationReport.computeTarget`) for n <= 4 runs.
/// A run that only ties the incumbent is not a record (finishing it cannot lower the regret).
public enum ReplayRecordFloor {
    /// The positions in `order` of its records: runs whose final value beats every earlier one.
    public static func records(finals: [Double], order: [Int], direction: OptimizationDirection) -> [Int] {
        var best: Double?
        var positions: [Int] = []
        for (k, r) in order.enumerated() where best.map({ direction.beats(finals[r], $0) }) ?? true {
            positions.append(k)
            best = finals[r]
        }
        return positions
    }

    /// floor(order): the records' full training over everyone's, with run r charged `costs[r]`.
    public static func fraction(finals: [Double], costs: [Double], order: [Int], direction: OptimizationDirection) -> Double {
        let total = order.reduce(0) { $0 + costs[$1] }
        guard total > 0 else { return .nan }
        let kept = records(finals: finals, order: order, direction: direction).reduce(0) { $0 + costs[order[$1]] }
        return kept / total
    }

    /// floor(order) for each order of a population.
    public static func fractions(_ population: ReplayPopulation, orders: [[Int]]) -> [Double] {
        let finals = population.runs.map(\.finalValue)
        let costs = population.runs.indices.map(population.fullTrainingSteps)
        return orders.map { fraction(finals: finals, costs: costs, order: $0, direction: population.direction) }
    }

    /// H_n / n: the expected floor over uniformly random orders of n runs of equal cost with
    /// distinct final values.
    public static func expectedShare(runs n: Int) -> Double {
        guard n > 0 else { return .nan }
        return (1...n).reduce(0) { $0 + 1 / Double($1) } / Double(n)
    }
}

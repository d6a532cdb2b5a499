extension PowerLawLeastSquares {
    /// Runs the back-test protocol on one curve at one horizon: split, fit the points up to the
    /// cut, score the Gaussian delta-method predictive at every scored step in closed form.
    /// A skipped curve (protocol selection or failed fit) comes back with its reason.
    public static func backtest(curveID: String, group: String, steps: [Double], values: [Double],
                                horizon: Double) -> Result<CurveScore, SkippedCurve> {
        precondition(steps.count == values.count, "backtest: \(steps.count) steps but \(values.count) values")
        let split: BacktestProtocol.Split
        switch BacktestProtocol.selection(steps: steps, horizon: horizon) {
        case .success(let s): split = s
        case .failure(let reason):
            return .failure(SkippedCurve(curveID: curveID, group: group, horizon: horizon, reason: reason.description))
        }
        let powerLaw: PowerLawFit
        do {
            powerLaw = try fit(steps: Array(steps[..<split.fitCount]), values: Array(values[..<split.fitCount]))
        } catch {
            return .failure(SkippedCurve(curveID: curveID, group: group, horizon: horizon, reason: error.description))
        }
        let points = split.scored.map { i in
            PointScore(step: steps[i], observed: values[i], gaussian: powerLaw.predictive(at: steps[i]))
        }
        return .success(CurveScore(curveID: curveID, group: group, horizon: horizon, cut: split.cut,
                                   fitPointCount: split.fitCount, points: points))
    }
}

import Sampling

extension HorizonSummary {
    /// A 90% percentile-bootstrap interval of pooled coverage, resampling whole curves.
    ///
    /// Each replicate draws `curves.count` curves with replacement and pools their hits and
    /// counts (so a resampled curve keeps its own weight); the interval is the type-7 5% and
    /// 95% quantiles of the replicate fractions. Resampling points instead would treat the
    /// points of one curve as independent and give a far too narrow band, since a curve tends
    /// to be either covered almost fully or missed almost fully (CALIBRATION_NOTES lesson 6).
    /// Replicates with no scored point are dropped. NaN bounds for no curves.
    static func bootstrapPooled(_ perCurve: [CoverageCount], replicates: Int, seed: UInt64)
        -> (lower: Double, upper: Double)
    {
        guard !perCurve.isEmpty, replicates > 0, perCurve.contains(where: { $0.count > 0 }) else {
            return (.nan, .nan)
        }
        var rng = Xoshiro256StarStar(seed: seed)
        var fractions: [Double] = []
        fractions.reserveCapacity(replicates)
        let k = perCurve.count
        for _ in 0..<replicates {
            var hits = 0, count = 0
            for _ in 0..<k {
                // Multiply-shift maps 53 uniform bits onto 0..<k with bias below k / 2^53.
                let j = min(Int(rng.uniform() * Double(k)), k - 1)
                hits += perCurve[j].hits
                count += perCurve[j].count
            }
            if count > 0 { fractions.append(Double(hits) / Double(count)) }
        }
        let s = PredictiveSample(draws: fractions)
        return (s.quantile(0.05), s.quantile(0.95))
    }
}

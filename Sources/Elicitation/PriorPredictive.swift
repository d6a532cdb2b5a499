import CurveModels
import Foundation

/// SplitMix64 (Steele et al. 2014): a tiny seeded generator, one stream per (draw, parameter).
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// In the open interval (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }
    /// Standard normal by Box-Muller.
    mutating func normal() -> Double {
        (-2 * Foundation.log(uniform())).squareRoot() * Foundation.cos(2 * Double.pi * uniform())
    }
}

/// Monte Carlo draws of the prior predictive mean curve m(t) on the normalized axes.
///
/// Every parameter of draw i comes from its own stream seeded by (seed, i, parameter index), so
/// changing one parameter's prior leaves the other parameters' draws untouched. The `free`
/// parameters (lognormal during the fit) are kept as their standard normals z_i: with
/// X ~ lognormal(mu, sigma), X_i = exp(mu + sigma z_i). Re-evaluating with other (mu, sigma) reuses
/// the same z_i (common random numbers), so the Monte Carlo quantiles move smoothly with the
/// hyperparameters and Nelder-Mead can fit them.
struct PriorPredictive {
    var model: ModelDefinition
    var draws: [[String: Double]]
    /// Standard normals behind the free parameters' draws, by name.
    var normals: [String: [Double]]

    init(model: ModelDefinition, prior: PriorSet, count: Int, seed: UInt64, free: [String] = []) {
        self.model = model
        draws = []
        normals = Dictionary(uniqueKeysWithValues: free.map { ($0, [Double]()) })
        draws.reserveCapacity(count)
        for i in 0..<count {
            var values: [String: Double] = [:]
            for (j, parameter) in model.parameters.enumerated() {
                var rng = SplitMix64(state: seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(i) &* 1_000_003 &+ UInt64(j))
                if free.contains(parameter.name) {
                    normals[parameter.name]!.append(rng.normal())
                    continue
                }
                let prior = prior.parameters[parameter.name] ?? .normal(mu: 0, sigma: 1)
                var value = prior.sample(uniform: { rng.uniform() }, normal: { rng.normal() })
                // A normal prior on a positive parameter is truncated (Priors/README.md).
                if parameter.support.bounds.lower >= 0 {
                    var tries = 0
                    while value <= 0, tries < 100 {
                        value = prior.sample(uniform: { rng.uniform() }, normal: { rng.normal() })
                        tries += 1
                    }
                }
                values[parameter.name] = value
            }
            draws.append(values)
        }
    }

    /// m(t) for every draw, each free parameter drawn as exp(mu + sigma z_i) with `lognormals[name]`.
    func means(at t: Double, lognormals: [String: (mu: Double, sigma: Double)] = [:]) -> [Double] {
        let covariates = Covariates(t: t)
        return draws.indices.map { i in
            var parameters = draws[i]
            for (name, z) in normals {
                let h = lognormals[name] ?? (0, 1)
                parameters[name] = Foundation.exp(h.mu + h.sigma * z[i])
            }
            return model.evaluateMean(parameters: parameters, covariates: covariates)
        }
    }
}

/// The p-quantile of `values` (linear interpolation between order statistics, NaNs dropped).
func empiricalQuantiles(_ values: [Double], _ probabilities: [Double]) -> [Double] {
    let sorted = values.filter { !$0.isNaN }.sorted()
    guard !sorted.isEmpty else { return probabilities.map { _ in .nan } }
    return probabilities.map { p in
        let h = p * Double(sorted.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}

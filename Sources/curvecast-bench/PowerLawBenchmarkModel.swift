import Autodiff
import CurveModels
import Foundation
import Sampling

/// The benchmark's curve model: y_i ~ N(E + A t_i^-alpha, sigma), i = 1..2000, with
/// E ~ HalfNormal(5), A ~ HalfNormal(10), alpha ~ HalfNormal(2), sigma ~ HalfNormal(1),
/// sampled on (log E, log A, log alpha, log sigma) with the log-Jacobians added (as Stan and
/// NumPyro do for positive parameters). Synthetic data from a fixed seed (xoshiro256** normals):
/// t_i = i, y_i = 2 + 5 t_i^-0.5 + 0.05 z_i, z_i standard normal.
enum PowerLawBenchmarkModel {
    struct Priors {
        var e = 5.0, a = 10.0, alpha = 2.0, sigma = 1.0
    }

    static let names = ["E", "A", "alpha", "sigma"]

    static func data(count: Int = 2_000, seed: UInt64 = 20_261_123) -> (t: [Double], y: [Double]) {
        var rng = Xoshiro256StarStar(seed: seed)
        let t = (1...count).map(Double.init)
        let y = t.map { ti -> Double in
            2 + 5 * pow(ti, -0.5) + 0.05 * rng.standardNormal()
        }
        return (t, y)
    }

    /// The log posterior on the unconstrained space, as a tape.
    static func tape(t: [Double], y: [Double], priors: Priors = Priors()) -> Tape {
        let r = TapeRecorder()
        let logE = r.parameter("log_E"), logA = r.parameter("log_A")
        let logAlpha = r.parameter("log_alpha"), logSigma = r.parameter("log_sigma")
        let e = r.exp(logE), a = r.exp(logA), alpha = r.exp(logAlpha), sigma = r.exp(logSigma)
        let mean = e + a * r.vector(t) ** (-alpha)
        // sum_i log N(y_i | mean_i, sigma), one fused node (the product's Gaussian likelihood).
        let likelihood = r.custom(GaussianLogLikelihood(y: y), inputs: [mean, sigma])
        // HalfNormal(x | s) = -x^2 / (2 s^2) + const, plus log-Jacobian log x = u.
        let prior = -0.5 * ((e / priors.e) ** 2 + (a / priors.a) ** 2 + (alpha / priors.alpha) ** 2 + (sigma / priors.sigma) ** 2)
        return r.finish(output: likelihood + prior + logE + logA + logAlpha + logSigma)
    }
}

import Autodiff
import Foundation

/// The five posteriordb log densities, written out as in the data README (Stan's model blocks,
/// with the unconstraining transforms and their log-Jacobians added).
extension ReferencePosterior {
    /// theta_trans ~ N(0,1); mu ~ N(0,5); tau ~ HalfCauchy(0,5); y ~ N(mu + tau theta_trans, sigma).
    /// Unconstrained: (theta_trans[1..J], mu, log tau). Reported: theta[1..J], mu, tau.
    /// Even non-centered, this posterior yields an occasional divergence at Stan's default
    /// delta = 0.8 (Betancourt, "Diagnosing biased inference with divergences", Stan case study,
    /// 2017: a few remain until adapt_delta is raised), so a handful is expected.
    static func eightSchools(_ reference: [String: ReferenceSummary]) throws -> ReferencePosterior {
        let file = "eight_schools.json"
        let d = try dataFile(file)
        let y = try numbers(d, "y", file: file), sigma = try numbers(d, "sigma", file: file)
        let j = y.count
        let r = TapeRecorder()
        let thetaTrans = r.parameterVector("theta_trans", count: j)
        let mu = r.parameter("mu")
        let (tau, logJ) = Densities.positive(r.parameter("log_tau"))
        let theta = mu + tau * thetaTrans
        let lp = Densities.normal(thetaTrans, r.constant(0), r.constant(1), count: j)
            + Densities.normal(mu, r.constant(0), r.constant(5), count: 1)
            + Densities.halfCauchy(tau, scale: 5) + logJ
            + likelihoodNormal(y: y, mean: theta, sd: sigma, r)
        let names = (1...j).map { "theta[\($0)]" } + ["mu", "tau"]
        return ReferencePosterior(
            name: names.isEmpty ? "" : "eight_schools-eight_schools_noncentered", tape: r.finish(output: lp),
            reportedNames: names,
            report: { q in
                let mu = q[j], tau = exp(q[j + 1])
                return (0..<j).map { mu + tau * q[$0] } + [mu, tau]
            },
            reference: reference, divergencesExpected: true)
    }

    /// Flat beta; sigma ~ HalfCauchy(0, 2.5); kid_score ~ N(beta1 + beta2 mom_iq, sigma).
    static func kidiq(_ reference: [String: ReferenceSummary]) throws -> ReferencePosterior {
        let file = "kidiq.json"
        let d = try dataFile(file)
        let score = try numbers(d, "kid_score", file: file), iq = try numbers(d, "mom_iq", file: file)
        let r = TapeRecorder()
        let b1 = r.parameter("beta[1]"), b2 = r.parameter("beta[2]")
        let (sigma, logJ) = Densities.positive(r.parameter("log_sigma"))
        let lp = Densities.halfCauchy(sigma, scale: 2.5) + logJ
            + Densities.normal(r.vector(score), b1 + b2 * r.vector(iq), sigma, count: score.count)
        return ReferencePosterior(
            name: "kidiq-kidscore_momiq", tape: r.finish(output: lp),
            reportedNames: ["beta[1]", "beta[2]", "sigma"],
            report: { q in [q[0], q[1], exp(q[2])] },
            reference: reference, divergencesExpected: false)
    }

    /// alpha, beta[k] ~ N(0, 10); sigma ~ HalfCauchy(0, 2.5);
    /// y[t] ~ N(alpha + sum_k beta[k] y[t-k], sigma) for t > K.
    static func arK(_ reference: [String: ReferenceSummary]) throws -> ReferencePosterior {
        let file = "arK.json"
        let d = try dataFile(file)
        let y = try numbers(d, "y", file: file)
        let k = Int(try number(d, "K", file: file))
        let r = TapeRecorder()
        let alpha = r.parameter("alpha")
        let betas = (1...k).map { r.parameter("beta[\($0)]") }
        let (sigma, logJ) = Densities.positive(r.parameter("log_sigma"))
        let target = Array(y[k...])
        var mean = alpha + betas[0] * r.vector(Array(y[(k - 1)..<(y.count - 1)]))
        for lag in 2...max(k, 1) where lag <= k {
            mean = mean + betas[lag - 1] * r.vector(Array(y[(k - lag)..<(y.count - lag)]))
        }
        var lp = Densities.normal(alpha, r.constant(0), r.constant(10), count: 1)
        for b in betas { lp = lp + Densities.normal(b, r.constant(0), r.constant(10), count: 1) }
        lp = lp + Densities.halfCauchy(sigma, scale: 2.5) + logJ
            + Densities.normal(r.vector(target), mean, sigma, count: target.count)
        return ReferencePosterior(
            name: "arK-arK", tape: r.finish(output: lp),
            reportedNames: ["alpha"] + (1...k).map { "beta[\($0)]" } + ["sigma"],
            report: { q in Array(q[0...k]) + [exp(q[k + 1])] },
            reference: reference, divergencesExpected: false)
    }

    /// Flat mu; alpha0 > 0, alpha1 in (0,1), beta1 in (0, 1 - alpha1), all flat;
    /// sigma[1] = sigma1, sigma[t]^2 = alpha0 + alpha1 (y[t-1] - mu)^2 + beta1 sigma[t-1]^2;
    /// y[t] ~ N(mu, sigma[t]) for every t.
    static func garch11(_ reference: [String: ReferenceSummary]) throws -> ReferencePosterior {
        let file = "garch.json"
        let d = try dataFile(file)
        let y = try numbers(d, "y", file: file)
        let sigma1 = try number(d, "sigma1", file: file)
        let r = TapeRecorder()
        let mu = r.parameter("mu")
        let (alpha0, logJ0) = Densities.positive(r.parameter("log_alpha0"))
        let a1 = Densities.unit(r.parameter("logit_alpha1"))
        // beta1 = (1 - alpha1) * logistic(u): log-Jacobian log(1 - alpha1) + log x + log(1 - x).
        let b = Densities.unit(r.parameter("logit_beta1_scaled"))
        let oneMinusAlpha1 = r.exp(a1.log1m)
        let beta1 = oneMinusAlpha1 * b.value
        let e = r.vector(y) - mu
        let e2 = e ** 2
        let variance = r.custom(GarchVarianceRecursion(initialVariance: sigma1 * sigma1),
                                inputs: [alpha0, a1.value, beta1, e2])
        let lp = r.sum(-0.5 * r.log(variance) - 0.5 * e2 / variance) - Double(y.count) * Densities.halfLogTwoPi
            + logJ0 + a1.log + a1.log1m + a1.log1m + b.log + b.log1m
        return ReferencePosterior(
            name: "garch-garch11", tape: r.finish(output: lp),
            reportedNames: ["mu", "alpha0", "alpha1", "beta1"],
            report: { q in
                let alpha1 = 1 / (1 + exp(-q[2]))
                return [q[0], exp(q[1]), alpha1, (1 - alpha1) / (1 + exp(-q[3]))]
            },
            reference: reference, divergencesExpected: false)
    }

    /// mu ordered, mu ~ N(0, 2); sigma ~ HalfNormal(0, 2); theta ~ Beta(5, 5);
    /// y[n] ~ theta N(mu[1], sigma[1]) + (1 - theta) N(mu[2], sigma[2]).
    /// Unconstrained: (mu1, log(mu2 - mu1), log sigma1, log sigma2, logit theta).
    static func gaussMix(_ reference: [String: ReferenceSummary]) throws -> ReferencePosterior {
        let file = "low_dim_gauss_mix.json"
        let d = try dataFile(file)
        let y = try numbers(d, "y", file: file)
        let r = TapeRecorder()
        let mu1 = r.parameter("mu[1]")
        let (gap, logJgap) = Densities.positive(r.parameter("log_gap"))
        let mu2 = mu1 + gap
        let (s1, logJ1) = Densities.positive(r.parameter("log_sigma[1]"))
        let (s2, logJ2) = Densities.positive(r.parameter("log_sigma[2]"))
        let theta = Densities.unit(r.parameter("logit_theta"))
        let yv = r.vector(y)
        // Per point: log N(y | mu_k, s_k) = -((y - mu_k)/s_k)^2/2 - log s_k - log(2 pi)/2.
        let lp1 = theta.log - r.log(s1) - 0.5 * ((yv - mu1) / s1) ** 2
        let lp2 = theta.log1m - r.log(s2) - 0.5 * ((yv - mu2) / s2) ** 2
        // log(e^a + e^b) = a + softplus(b - a): stable for any a, b (softplus never overflows).
        let mixture = r.sum(lp1 + r.softplus(lp2 - lp1)) - Double(y.count) * Densities.halfLogTwoPi
        let lp = mixture
            + Densities.normal(mu1, r.constant(0), r.constant(2), count: 1)
            + Densities.normal(mu2, r.constant(0), r.constant(2), count: 1)
            + Densities.halfNormal(s1, scale: 2, count: 1) + Densities.halfNormal(s2, scale: 2, count: 1)
            + 4 * theta.log + 4 * theta.log1m - lbeta(5, 5)
            + logJgap + logJ1 + logJ2 + theta.log + theta.log1m
        return ReferencePosterior(
            name: "low_dim_gauss_mix-low_dim_gauss_mix", tape: r.finish(output: lp),
            reportedNames: ["mu[1]", "mu[2]", "sigma[1]", "sigma[2]", "theta"],
            report: { q in [q[0], q[0] + exp(q[1]), exp(q[2]), exp(q[3]), 1 / (1 + exp(-q[4]))] },
            reference: reference, divergencesExpected: false)
    }

    static func likelihoodNormal(y: [Double], mean: Variable, sd: [Double], _ r: TapeRecorder) -> Variable {
        let z = (r.vector(y) - mean) / r.vector(sd)
        return r.sum(-0.5 * z ** 2) - sd.reduce(0) { $0 + Foundation.log($1) + Densities.halfLogTwoPi }
    }

    static func lbeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }
}

/// The GARCH(1,1) variance recursion as one custom vector operation:
/// v_1 = sigma1^2, v_t = alpha0 + alpha1 e2_{t-1} + beta1 v_{t-1} (t >= 2).
/// Backward (reverse accumulation through the recursion): with w_t the total adjoint of v_t,
/// w_{t-1} = dv_{t-1} + beta1 w_t, d alpha0 = sum_{t>=2} w_t, d alpha1 = sum w_t e2_{t-1},
/// d beta1 = sum w_t v_{t-1}, d e2_{t-1} = alpha1 w_t.
struct GarchVarianceRecursion: CustomVectorOperation {
    let initialVariance: Double
    var name: String { "garch_variance" }
    func outputCount(inputCounts: [Int]) -> Int { inputCounts[3] }

    mutating func forward(_ io: CustomOperationIO) {
        let a0 = io.input(0)[0], a1 = io.input(1)[0], b1 = io.input(2)[0]
        let e2 = io.input(3), v = io.output
        guard v.count > 0 else { return }
        v[0] = initialVariance
        for t in 1..<max(v.count, 1) where t < v.count { v[t] = a0 + a1 * e2[t - 1] + b1 * v[t - 1] }
    }

    mutating func backward(_ io: CustomOperationIO) {
        let a1 = io.input(1)[0], b1 = io.input(2)[0]
        let e2 = io.input(3), v = UnsafeBufferPointer(io.output), dv = io.outputAdjoint
        let n = v.count
        guard n > 1 else { return }
        var w = 0.0, dA0 = 0.0, dA1 = 0.0, dB1 = 0.0
        let dE2 = io.inputAdjoint(3)
        for t in stride(from: n - 1, through: 1, by: -1) {
            w = dv[t] + b1 * w
            dA0 += w
            dA1 += w * e2[t - 1]
            dB1 += w * v[t - 1]
            dE2?[t - 1] += a1 * w
        }
        io.inputAdjoint(0)?[0] += dA0
        io.inputAdjoint(1)?[0] += dA1
        io.inputAdjoint(2)?[0] += dB1
    }
}

import Autodiff
import Foundation
import Testing
import TestSupport

/// The posteriordb log densities used to validate the sampler: gradients against finite
/// differences, and values against plain-loop evaluations written independently here.
struct PosteriorDBDensityTests {
    static let point: [String: [Double]] = [
        "eight_schools-eight_schools_noncentered": [0.3, -0.5, 1.1, 0.2, -1.3, 0.7, 0.05, -0.2, 4.1, 1.2],
        "kidiq-kidscore_momiq": [25, 0.6, 2.9],
        "arK-arK": [0.01, 0.7, 0.4, 0.1, -0.05, 0.02, -2.3],
        "garch-garch11": [5.0, 0.3, 0.2, -0.8],
        "low_dim_gauss_mix-low_dim_gauss_mix": [-2.7, 1.7, 0.03, 0.02, 0.1],
    ]

    @Test(arguments: ReferencePosterior.names)
    func gradientMatchesFiniteDifferences(_ name: String) throws {
        let posterior = try ReferencePosterior.load(name)
        let q = try #require(Self.point[name])
        #expect(posterior.tape.parameterCount == q.count)
        #expect(posterior.report(q).count == posterior.reportedNames.count)
        let bad = GradientChecker(relativeTolerance: 1e-6).check(name, tape: posterior.tape, at: q)
        #expect(bad.isEmpty, "\(bad)")
    }

    @Test func garchValueMatchesAPlainLoop() throws {
        let posterior = try ReferencePosterior.load("garch-garch11")
        let q = Self.point["garch-garch11"]!
        let data = try JSONSerialization.jsonObject(with: Data(contentsOf: RepositoryPaths.sharedFile("posteriordb/garch.json"))) as! [String: Any]
        let y = (data["y"] as! [NSNumber]).map(\.doubleValue)
        let sigma1 = (data["sigma1"] as! NSNumber).doubleValue
        let mu = q[0], alpha0 = exp(q[1]), alpha1 = 1 / (1 + exp(-q[2]))
        let s = 1 / (1 + exp(-q[3])), beta1 = (1 - alpha1) * s
        var sigma = sigma1, lp = 0.0
        for t in 0..<y.count {
            if t > 0 { sigma = sqrt(alpha0 + alpha1 * pow(y[t - 1] - mu, 2) + beta1 * sigma * sigma) }
            lp += -log(sigma) - 0.5 * pow((y[t] - mu) / sigma, 2) - 0.5 * log(2 * Double.pi)
        }
        // log-Jacobians: alpha0 = e^u; alpha1 logistic; beta1 = (1 - alpha1) logistic.
        lp += q[1] + log(alpha1) + log(1 - alpha1) + log(1 - alpha1) + log(s) + log(1 - s)
        var tape = posterior.tape
        #expect(abs(tape.value(at: q) - lp) <= 1e-9 * abs(lp))
    }

    @Test func gaussMixValueMatchesAPlainLoop() throws {
        let posterior = try ReferencePosterior.load("low_dim_gauss_mix-low_dim_gauss_mix")
        let q = Self.point["low_dim_gauss_mix-low_dim_gauss_mix"]!
        let data = try JSONSerialization.jsonObject(with: Data(contentsOf: RepositoryPaths.sharedFile("posteriordb/low_dim_gauss_mix.json"))) as! [String: Any]
        let y = (data["y"] as! [NSNumber]).map(\.doubleValue)
        let v = posterior.report(q)
        let (m1, m2, s1, s2, theta) = (v[0], v[1], v[2], v[3], v[4])
        func normal(_ x: Double, _ m: Double, _ s: Double) -> Double { -0.5 * pow((x - m) / s, 2) - log(s) - 0.5 * log(2 * Double.pi) }
        var lp = 0.0
        for yi in y { lp += log(theta * exp(normal(yi, m1, s1)) + (1 - theta) * exp(normal(yi, m2, s2))) }
        lp += normal(m1, 0, 2) + normal(m2, 0, 2)
        lp += log(2) + normal(s1, 0, 2) + log(2) + normal(s2, 0, 2)
        lp += 4 * log(theta) + 4 * log(1 - theta) - (2 * lgamma(5) - lgamma(10))
        lp += q[1] + q[2] + q[3] + log(theta) + log(1 - theta)
        var tape = posterior.tape
        #expect(abs(tape.value(at: q) - lp) <= 1e-9 * abs(lp))
    }

    @Test func referenceSummariesCoverEveryReportedName() throws {
        for name in ReferencePosterior.names {
            let posterior = try ReferencePosterior.load(name)
            for reported in posterior.reportedNames {
                #expect(posterior.reference[reported] != nil, "\(name): no reference for \(reported)")
            }
        }
    }
}

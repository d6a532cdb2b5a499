import Autodiff
import Foundation

@testable import CurveModels

/// Data and tapes shared by the likelihood-node tests.
enum LikelihoodFixture {
    /// A smooth mean curve, the "mu" at which gradients are checked.
    static func mean(_ n: Int) -> [Double] { (0..<n).map { 2 + sin(0.37 * Double($0)) } }

    /// Spacings whose logs are uniform on [log 0.01, log 100]; every third repeats its
    /// predecessor, so runs of equal gaps (the cached-phi path) are exercised too.
    static func irregularGaps(_ n: Int, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        var gaps = [Double](repeating: 1, count: n)
        for i in 1..<max(n, 1) {
            gaps[i] = i % 3 == 0 && i > 1 ? gaps[i - 1] : Foundation.exp(Foundation.log(0.01) + random.uniform() * Foundation.log(1e4))
        }
        return gaps
    }

    /// Residuals drawn exactly from the stationary OU process with these parameters.
    static func ar1Residuals(gaps: [Double], sigma: Double, rho: Double, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        var e: [Double] = []
        for i in gaps.indices {
            if i == 0 { e.append(sigma * random.normal()); continue }
            let phi = Foundation.pow(rho, gaps[i])
            e.append(phi * e[i - 1] + sigma * (-Foundation.expm1(2 * gaps[i] * Foundation.log(rho))).squareRoot() * random.normal())
        }
        return e
    }

    /// A tape whose parameters are `[mu_1 ... mu_n, sigma, third]` feeding `op` directly.
    static func directTape(_ op: some CustomVectorOperation, n: Int) -> Tape {
        let r = TapeRecorder()
        let mu = r.parameterVector("mu", count: n)
        let sigma = r.parameter("sigma"), third = r.parameter("third")
        return r.finish(output: r.custom(op, inputs: [mu, sigma, third]))
    }
}

/// Plain-loop reference values, written independently of the ops (no log1p, expm1 or series).
enum ReferenceLikelihood {
    static let logTwoPi = Foundation.log(2 * Double.pi)

    static func normal(_ x: Double, mean: Double, sd: Double) -> Double {
        let z = (x - mean) / sd
        return -0.5 * z * z - Foundation.log(sd) - 0.5 * logTwoPi
    }

    static func studentT(y: [Double], mu: [Double], sigma: Double, nu: Double) -> Double {
        var total = 0.0
        for i in y.indices {
            let z = (y[i] - mu[i]) / sigma
            total += lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Foundation.log(nu * Double.pi) - Foundation.log(sigma)
                - (nu + 1) / 2 * Foundation.log(1 + z * z / nu)
        }
        return total
    }

    static func gaussian(y: [Double], mu: [Double], sigma: Double) -> Double {
        zip(y, mu).reduce(0) { $0 + normal($1.0, mean: $1.1, sd: sigma) }
    }

    /// The AR(1) chain of conditional normals, with phi = pow(rho, gap) and 1 - phi * phi.
    static func ar1(y: [Double], mu: [Double], gaps: [Double], sigma: Double, rho: Double) -> Double {
        var total = 0.0
        for i in y.indices {
            let e = y[i] - mu[i]
            if i == 0 { total += normal(e, mean: 0, sd: sigma); continue }
            let phi = Foundation.pow(rho, gaps[i])
            total += normal(e, mean: phi * (y[i - 1] - mu[i - 1]), sd: sigma * (1 - phi * phi).squareRoot())
        }
        return total
    }
}

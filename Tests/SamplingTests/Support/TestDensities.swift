import Foundation
import LinearAlgebra
@testable import Sampling

/// N(mean, Sigma) given by its precision matrix P = Sigma^-1:
/// log p = -0.5 (q - m)' P (q - m), gradient -P (q - m).
struct TestGaussian: LogDensity {
    let mean: [Double]
    let precision: [Double]   // d x d row-major
    let covariance: Matrix
    private var centred: [Double]

    var dimension: Int { mean.count }

    init(mean: [Double], covariance: Matrix) {
        let d = mean.count
        self.mean = mean
        self.covariance = covariance
        let chol = try! Cholesky(covariance)
        var p = [Double](repeating: 0, count: d * d)
        for j in 0..<d {
            var e = [Double](repeating: 0, count: d)
            e[j] = 1
            chol.solve(&e)
            for i in 0..<d { p[i * d + j] = e[i] }
        }
        precision = p
        centred = Array(repeating: 0, count: d)
    }

    /// Standard deviations `scales` and correlation matrix `correlation`.
    init(scales: [Double], correlation: Matrix) {
        let d = scales.count
        var c = correlation
        for i in 0..<d { for j in 0..<d { c[i, j] *= scales[i] * scales[j] } }
        self.init(mean: Array(repeating: 0, count: d), covariance: c)
    }

    /// Equicorrelated: every off-diagonal correlation equals `rho`.
    static func equicorrelated(scales: [Double], rho: Double) -> TestGaussian {
        let d = scales.count
        var r = Matrix.identity(d)
        for i in 0..<d { for j in 0..<d where i != j { r[i, j] = rho } }
        return TestGaussian(scales: scales, correlation: r)
    }

    mutating func logDensity(at q: [Double], gradient: inout [Double]) -> Double {
        let d = dimension
        for i in 0..<d { centred[i] = q[i] - mean[i] }
        var quad = 0.0
        for i in 0..<d {
            var s = 0.0
            for j in 0..<d { s += precision[i * d + j] * centred[j] }
            gradient[i] = -s
            quad += centred[i] * s
        }
        return -0.5 * quad
    }
}

/// Independent standard normals in d dimensions (cheap gradient).
struct TestStandardNormal: LogDensity {
    let dimension: Int
    mutating func logDensity(at q: [Double], gradient: inout [Double]) -> Double {
        var s = 0.0
        for i in 0..<dimension {
            s += q[i] * q[i]
            gradient[i] = -q[i]
        }
        return -0.5 * s
    }
}

/// Neal's funnel: v ~ N(0, 3^2), x_i | v ~ N(0, (e^(v/2))^2), i = 1..k; q = (v, x_1..x_k).
/// log p = -v^2/18 - (k/2) v - (1/2) e^-v sum x_i^2.
struct TestFunnel: LogDensity {
    let dimension: Int
    mutating func logDensity(at q: [Double], gradient: inout [Double]) -> Double {
        let v = q[0]
        let k = Double(dimension - 1)
        let ev = Foundation.exp(-v)
        var ss = 0.0
        for i in 1..<dimension {
            ss += q[i] * q[i]
            gradient[i] = -q[i] * ev
        }
        gradient[0] = -v / 9 - k / 2 + 0.5 * ev * ss
        return -v * v / 18 - k / 2 * v - 0.5 * ev * ss
    }
}

/// x = log y with y ~ Gamma(shape 3, rate 1): log p(x) = 3x - e^x (Jacobian e^x included).
/// Skewed, with E[x] = digamma(3) = 3/2 - gamma_Euler and Var[x] = trigamma(3) = pi^2/6 - 5/4.
struct TestLogGamma3: LogDensity {
    var dimension: Int { 1 }
    static let mean = 1.5 - 0.5772156649015329
    static let variance = Double.pi * Double.pi / 6 - 1.25
    mutating func logDensity(at q: [Double], gradient: inout [Double]) -> Double {
        let e = Foundation.exp(q[0])
        gradient[0] = 3 - e
        return 3 * q[0] - e
    }
}

/// A density that is -inf outside the box (-1, 1)^d and standard normal inside (tests rejection).
struct TestBoxedNormal: LogDensity {
    let dimension: Int
    mutating func logDensity(at q: [Double], gradient: inout [Double]) -> Double {
        var s = 0.0
        for i in 0..<dimension {
            if abs(q[i]) >= 1 { return -.infinity }
            s += q[i] * q[i]
            gradient[i] = -q[i]
        }
        return -0.5 * s
    }
}

/// Column j of a row-major draws matrix.
func drawsColumn(_ m: Matrix, _ j: Int) -> [Double] { (0..<m.rows).map { m[$0, j] } }

func sampleMean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }

func sampleVariance(_ x: [Double]) -> Double {
    let m = sampleMean(x)
    return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
}

/// A simple single-chain ESS: N / (1 + 2 sum rho_t), with Geyer's initial positive sequence
/// (sum autocorrelation pairs rho_{2k} + rho_{2k+1} while positive). Good enough to compare
/// samplers in a test; the real one is in Sampling/Diagnostics.
func crudeESS(_ x: [Double]) -> Double {
    let n = x.count
    let m = sampleMean(x)
    let c = x.map { $0 - m }
    func acov(_ t: Int) -> Double {
        var s = 0.0
        for i in 0..<(n - t) { s += c[i] * c[i + t] }
        return s / Double(n)
    }
    let c0 = acov(0)
    var tau = -1.0
    var t = 0
    while t + 1 < n {
        let pair = (acov(t) + acov(t + 1)) / c0
        if pair <= 0 { break }
        tau += 2 * pair
        t += 2
    }
    return Double(n) / max(tau, 1e-3)
}

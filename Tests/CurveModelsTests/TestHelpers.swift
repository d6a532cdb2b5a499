import Foundation
import Testing
import TestSupport

@testable import CurveModels

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator so test draws are reproducible.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on the open interval (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Standard normal by Box-Muller.
    mutating func normal() -> Double {
        let u1 = uniform(), u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    mutating func draw(_ prior: PriorDistribution) -> Double {
        var copy = self
        let x = prior.sample(uniform: { copy.uniform() }, normal: { copy.normal() })
        self = copy
        return x
    }
}

/// A warmup-stable-decay schedule on a grid of 100 steps per unit of normalized t:
/// warmup over 5 steps, peak 1 until t = 0.6, linear decay to 0.1 at t = 1, then 0.1.
/// Computes the schedule functionals by their defining sums (slow, obviously correct).
struct WarmupStableDecaySchedule: CovariateProvider {
    static let stepsPerUnit = 100.0
    static let warmupSteps = 5

    init() {}

    func lr(step i: Int) -> Double {
        i >= 0 && i < Self.lrProfile.count ? Self.lrProfile[i] : Self.rate(step: i)
    }

    static func rate(step i: Int) -> Double {
        if i <= 0 { return 0 }
        if i <= Self.warmupSteps { return Double(i) / Double(Self.warmupSteps) }
        if i <= 60 { return 1 }
        if i <= 100 { return 1 - 0.9 * Double(i - 60) / 40 }
        return 0.1
    }

    func steps(_ t: Double) -> Int { max(1, Int((t * Self.stepsPerUnit).rounded())) }

    func learningRate(at t: Double) -> Double { lr(step: steps(t)) }

    /// Prefix sums of lr over the first 10,000 steps (t = 100), so lr_area is a lookup.
    private let prefixArea: [Double] = {
        var sums = [0.0]
        var lr = WarmupStableDecaySchedule.lrProfile
        lr.removeFirst()
        for value in lr { sums.append(sums.last! + value) }
        return sums
    }()

    static let lrProfile: [Double] = (0...10_000).map { WarmupStableDecaySchedule.rate(step: $0) }

    func learningRateArea(at t: Double) -> Double {
        let n = steps(t)
        if n < prefixArea.count { return prefixArea[n] / Self.stepsPerUnit }
        return (1...n).reduce(0) { $0 + lr(step: $1) } / Self.stepsPerUnit
    }

    func annealArea(lambda: Double, at t: Double) -> Double {
        let lambdaStep = Foundation.pow(lambda, 1 / Self.stepsPerUnit)
        var m = 0.0, area = 0.0
        let n = steps(t)
        if n <= Self.warmupSteps { return 0 }
        for i in (Self.warmupSteps + 1)...n {
            m = lambdaStep * m + (lr(step: i - 1) - lr(step: i))
            area += m
        }
        return area / Self.stepsPerUnit
    }

    func lrDecaySum(c: Double, beta: Double, gamma: Double, at t: Double) -> Double {
        let n = steps(t)
        if n <= Self.warmupSteps { return 0 }
        var suffix = 0.0, sum = 0.0
        for k in stride(from: n, through: Self.warmupSteps + 1, by: -1) {
            suffix += lr(step: k) / Self.stepsPerUnit
            let x = Foundation.pow(lr(step: k), -gamma) * suffix
            let g = 1 - Foundation.pow(c * x + 1, -beta)
            sum += (lr(step: k - 1) - lr(step: k)) * g
        }
        return sum
    }
}

enum Shipped {
    static let models = RepositoryPaths.root.appendingPathComponent("Models")
    static let priors = RepositoryPaths.root.appendingPathComponent("Priors")
}

func isClose(_ a: Double, _ b: Double, relative: Double = 1e-8, absolute: Double = 0) -> Bool {
    abs(a - b) <= absolute + relative * max(abs(a), abs(b))
}

/// Composite Simpson rule with n (even) intervals.
func simpson(_ f: (Double) -> Double, _ a: Double, _ b: Double, intervals n: Int = 20_000) -> Double {
    let h = (b - a) / Double(n)
    var sum = f(a) + f(b)
    for i in 1..<n { sum += (i % 2 == 1 ? 4 : 2) * f(a + Double(i) * h) }
    return sum * h / 3
}

extension NoisePrior {
    /// A weakly informative noise prior of `family` for gradient checks.
    static func forGradientChecks(_ family: Family) -> NoisePrior {
        NoisePrior(family: family, sigma: .halfNormal(sigma: 0.05),
                   nu: family == .studentT ? .gamma(shape: 2, rate: 0.1) : nil,
                   rho: family == .ar1 ? .beta(alpha: 3, beta: 1) : nil)
    }
}

/// Checks a posterior's gradient against finite differences at a nudged prior median and at two
/// prior draws (and that its log density is finite there).
func expectGradientsMatchFiniteDifferences(_ posterior: CurvePosterior, _ label: String, seed: UInt64,
                                           sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let points = [posterior.priorMedianPoint.enumerated().map { $1 + 0.05 * Double($0 + 1) }] + posterior.priorDraws(2, seed: seed)
    for (k, u) in points.enumerated() {
        var tape = posterior.tape
        #expect(tape.value(at: u).isFinite, "\(label): log density not finite at point \(k)", sourceLocation: sourceLocation)
        let bad = GradientChecker(relativeTolerance: 1e-5).check(label, tape: posterior.tape, at: u)
        #expect(bad.isEmpty, "\(bad)", sourceLocation: sourceLocation)
    }
}

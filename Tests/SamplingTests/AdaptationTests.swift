import Foundation
import LinearAlgebra
import Testing
@testable import Sampling

@Suite("Warmup adaptation")
struct AdaptationTests {
    static let scaled = TestGaussian(scales: [0.1, 1, 10, 3, 0.3], correlation: .identity(5))

    @Test("regularized variance: n/(n+5) var + 1e-3 * 5/(n+5) at the end of the first window")
    func regularizedVariance() throws {
        let schedule = WindowSchedule(numWarmup: 150)   // one window: draws 75...99, update at 99
        var a = WarmupAdaptation(dimension: 2, stepSize: StepSizeAdaptation(initialStepSize: 1),
                                 schedule: schedule, metricKind: .diagonal)
        var rng = Xoshiro256StarStar(seed: 4)
        var collected: [[Double]] = []
        var produced: Metric?
        for i in 0..<100 {
            let q = [rng.standardNormal() * 2, rng.standardNormal() * 0.1]
            if i >= 75 { collected.append(q) }
            let update = try a.learn(iteration: i, acceptStat: 0.8, position: q)
            if i < 99 { #expect(update.metric == nil) } else { produced = update.metric }
        }
        let m = try #require(produced)
        let n = 25.0
        for j in 0..<2 {
            let v = sampleVariance(collected.map { $0[j] })
            let expected = n / (n + 5) * v + 1e-3 * 5 / (n + 5)
            #expect(abs(m.inverseMassDiagonal[j] - expected) < 1e-12 * expected)
        }
    }

    @Test("dense regularization shrinks toward 1e-3 I")
    func regularizedCovariance() throws {
        var a = WarmupAdaptation(dimension: 2, stepSize: StepSizeAdaptation(initialStepSize: 1),
                                 schedule: WindowSchedule(numWarmup: 150), metricKind: .dense)
        var rng = Xoshiro256StarStar(seed: 6)
        var collected: [[Double]] = []
        var produced: Metric?
        for i in 0..<100 {
            let z0 = rng.standardNormal(), z1 = rng.standardNormal()
            let q = [z0, 0.9 * z0 + 0.3 * z1]
            if i >= 75 { collected.append(q) }
            produced = try a.learn(iteration: i, acceptStat: 0.8, position: q).metric ?? produced
        }
        let m = try #require(produced)
        #expect(m.kind == .dense)
        let n = 25.0
        let mean0 = sampleMean(collected.map { $0[0] }), mean1 = sampleMean(collected.map { $0[1] })
        let c01 = collected.reduce(0) { $0 + ($1[0] - mean0) * ($1[1] - mean1) } / (n - 1)
        let c00 = sampleVariance(collected.map { $0[0] })
        #expect(abs(m.inverseMass[0, 1] - n / (n + 5) * c01) < 1e-12)
        #expect(abs(m.inverseMass[0, 0] - (n / (n + 5) * c00 + 1e-3 * 5 / (n + 5))) < 1e-12)
    }

    @Test("after warmup the acceptance statistic is near delta = 0.8 and the metric near the variances")
    func reachesTargetAcceptance() throws {
        var cfg = SamplerConfiguration()
        cfg.warmup = 1000
        cfg.samples = 1000
        cfg.seed = 31
        let r = try Sampler.runChain(chain: 0, density: Self.scaled, configuration: cfg)
        let acceptance = sampleMean(r.statistics.acceptStat)
        // Dual averaging sets the final eps = exp(x_bar), the average of the log step sizes,
        // which on Gaussians gives a slightly higher acceptance than delta: CmdStan runs on such
        // targets typically report 0.82-0.92 with delta = 0.8. The MC error of the mean of 1000
        // accept_stats (sd ~0.15, ESS >~ 300) is ~0.01. We accept [0.72, 0.95].
        #expect(acceptance > 0.72 && acceptance < 0.95, "mean accept_stat \(acceptance)")
        // The adapted variances come from the last window (500 draws, ESS >~ 150): relative
        // sd of a variance estimate <= sqrt(2/150) = 0.12; allow 4 sd = 0.5 in log terms.
        let expected = [0.01, 1, 100, 9, 0.09]
        for j in 0..<5 {
            let ratio = r.metric.inverseMassDiagonal[j] / expected[j]
            #expect(abs(log(ratio)) < 0.5, "metric \(j): \(r.metric.inverseMassDiagonal[j]) vs \(expected[j])")
        }
        #expect(r.stepSize > 0.1 && r.stepSize < 2, "step size \(r.stepSize)")
    }

    @Test("the step-size search halves a too-large step on a narrow target")
    func initialStepSize() throws {
        let narrow = TestGaussian(scales: [0.01, 0.01], correlation: .identity(2))
        var s = try NUTSSampler(density: narrow, initialPoint: [0.001, 0], stepSize: 1,
                                rng: Xoshiro256StarStar(seed: 2))
        let before = s.position
        try s.initializeStepSize()
        // Stable leapfrog needs eps < 2 * 0.01; the search stops at the first power of 2 that
        // passes H0 - h > log 0.8, which is within a factor ~8 of 0.01 for a Gaussian.
        #expect(s.stepSize <= 0.03 && s.stepSize >= 0.001, "eps \(s.stepSize)")
        #expect(s.position == before)
    }

    @Test("warm start skips the metric adaptation and keeps the given metric")
    func warmStart() throws {
        var cfg = SamplerConfiguration()
        cfg.warmup = 1000
        cfg.samples = 200
        cfg.seed = 5
        let first = try Sampler.runChain(chain: 0, density: Self.scaled, configuration: cfg)
        var again = cfg
        again.warmup = 100
        again.warmStart = first.warmStart
        again.initialization = .point(Array(first.draws.storage.suffix(5)))
        let second = try Sampler.runChain(chain: 0, density: Self.scaled, configuration: again)
        #expect(second.metric.inverseMassStorage == first.metric.inverseMassStorage)
        #expect(abs(log(second.stepSize / first.stepSize)) < 0.7)
        // No step-size adaptation at all: the step size is reused exactly.
        again.warmStart = WarmStart(stepSize: first.stepSize, metric: first.metric, adaptStepSize: false)
        again.warmup = 0
        let third = try Sampler.runChain(chain: 0, density: Self.scaled, configuration: again)
        #expect(third.stepSize == first.stepSize)
        #expect(third.statistics.stepSize.allSatisfy { $0 == first.stepSize })
    }
}

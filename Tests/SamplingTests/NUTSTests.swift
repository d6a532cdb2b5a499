import Foundation
import LinearAlgebra
import Testing
@testable import Sampling

@Suite("NUTS transition")
struct NUTSTests {
    static let correlated3 = TestGaussian(
        scales: [1.0, 2.0, 0.5],
        correlation: Matrix(rows: 3, columns: 3, rowMajor: [1, 0.9, -0.3, 0.9, 1, -0.2, -0.3, -0.2, 1]))

    /// Runs the fast sampler and the recursive oracle side by side and demands identical chains.
    func compareWithOracle<D: LogDensity>(_ density: D, metric: Metric, stepSize: Double, maxDepth: Int,
                                          seed: UInt64, transitions: Int = 200) throws -> [TransitionInfo] {
        let start = [Double](repeating: 0.1, count: density.dimension)
        var fast = try NUTSSampler(density: density, initialPoint: start, metric: metric, stepSize: stepSize,
                                   maxTreeDepth: maxDepth, rng: Xoshiro256StarStar(seed: seed))
        var oracle = RecursiveNUTSOracle(density: density, initialPoint: start, metric: metric,
                                         stepSize: stepSize, maxDepth: maxDepth, rng: Xoshiro256StarStar(seed: seed))
        var infos: [TransitionInfo] = []
        for t in 0..<transitions {
            let a = fast.transition()
            let b = oracle.transition()
            #expect(a == b, "transition \(t): fast \(a) vs oracle \(b)")
            #expect(fast.position == oracle.z.q, "transition \(t): positions differ")
            if a != b || fast.position != oracle.z.q { break }
            infos.append(a)
        }
        #expect(fast.rng == oracle.rng, "the two samplers consumed different random numbers")
        return infos
    }

    @Test("fast NUTS equals the recursive oracle: correlated 3-d Gaussian, unit metric")
    func oracleUnitMetric() throws {
        let infos = try compareWithOracle(Self.correlated3, metric: .unit(dimension: 3), stepSize: 0.25,
                                          maxDepth: 10, seed: 11)
        // The comparison must exercise deep trees, not only trivial ones.
        #expect(infos.map(\.treeDepth).max()! >= 4)
    }

    @Test("fast NUTS equals the recursive oracle: non-unit diagonal and dense metrics")
    func oracleNonUnitMetrics() throws {
        let diag = try Metric(diagonalInverseMass: [0.8, 3.5, 0.3])
        _ = try compareWithOracle(Self.correlated3, metric: diag, stepSize: 0.4, maxDepth: 10, seed: 12)
        let dense = try Metric(denseInverseMass: Self.correlated3.covariance)
        _ = try compareWithOracle(Self.correlated3, metric: dense, stepSize: 0.7, maxDepth: 10, seed: 13)
    }

    @Test("fast NUTS equals the recursive oracle with divergences and saturated depth")
    func oracleDivergentAndSaturated() throws {
        // Step size beyond the leapfrog stability limit (2 sigma_min = 1.0 for the 0.5-scale axis
        // after correlation): many divergences.
        let divergent = try compareWithOracle(Self.correlated3, metric: .unit(dimension: 3), stepSize: 1.3,
                                              maxDepth: 10, seed: 14)
        #expect(divergent.contains { $0.divergent })
        // A funnel, where divergences and accepted deep trees mix.
        _ = try compareWithOracle(TestFunnel(dimension: 5), metric: .unit(dimension: 5), stepSize: 0.3,
                                  maxDepth: 10, seed: 15)
        // max depth 3: trees hit the ceiling.
        let capped = try compareWithOracle(Self.correlated3, metric: .unit(dimension: 3), stepSize: 0.05,
                                           maxDepth: 3, seed: 16)
        #expect(capped.allSatisfy { $0.treeDepth <= 3 })
        #expect(capped.contains { $0.treeDepth == 3 && $0.leapfrogSteps == 7 })
    }

    @Test("tree depth and leapfrog counts follow 2^d - 1 <= n <= 2^(d+1) - 1")
    func leapfrogCountBounds() throws {
        var s = try NUTSSampler(density: Self.correlated3, initialPoint: [0, 0, 0], stepSize: 0.3,
                                rng: Xoshiro256StarStar(seed: 3))
        let before = s.gradientEvaluations
        var total = 0
        for _ in 0..<200 {
            let info = s.transition()
            let d = info.treeDepth
            #expect(info.leapfrogSteps >= (1 << d) - 1 && info.leapfrogSteps <= (1 << (d + 1)) - 1)
            #expect(info.acceptStat >= 0 && info.acceptStat <= 1)
            total += info.leapfrogSteps
        }
        // Exactly one gradient per leapfrog step (the gradient is carried between transitions).
        #expect(s.gradientEvaluations - before == total)
    }

    @Test("points outside the support are rejected, never selected")
    func rejectsOutsideSupport() throws {
        var s = try NUTSSampler(density: TestBoxedNormal(dimension: 4), initialPoint: [0, 0, 0, 0],
                                stepSize: 0.3, rng: Xoshiro256StarStar(seed: 5))
        var divergences = 0
        for _ in 0..<500 {
            let info = s.transition()
            if info.divergent { divergences += 1 }
            #expect(s.position.allSatisfy { abs($0) < 1 })
            #expect(info.logDensity.isFinite)
        }
        #expect(divergences > 0)
    }

    @Test("Neal's funnel reports divergences")
    func funnelDiverges() throws {
        // With an adapted step size a short chain rarely enters the funnel's neck at all (that
        // bias is the funnel's pathology; over seeds 1...8, 1000 post-warmup draws gave 0-8
        // divergences), but warmup, which starts from the unit metric, always crosses it:
        // 15-31 divergent warmup transitions over the same seeds.
        var cfg = SamplerConfiguration()
        cfg.warmup = 300
        cfg.samples = 300
        cfg.seed = 2024
        cfg.keepWarmup = true
        let adapted = try Sampler.runChain(chain: 0, density: TestFunnel(dimension: 10), configuration: cfg)
        #expect(adapted.warmupStatistics!.divergences + adapted.divergences > 0)

        // A fixed step size of 1 (fine for v, sd 3; unstable wherever the sd of x, e^(v/2), is
        // below 1/2, i.e. v < -1.4) must diverge: 80-146 of 300 transitions over seeds 1...4.
        var fixed = cfg
        fixed.warmup = 0
        fixed.warmStart = WarmStart(stepSize: 1.0, metric: .unit(dimension: 10), adaptStepSize: false)
        let r = try Sampler.runChain(chain: 0, density: TestFunnel(dimension: 10), configuration: fixed)
        #expect(r.divergences > 0, "a 10-d funnel must produce divergent transitions")
        #expect(r.statistics.divergent.indices.filter { r.statistics.divergent[$0] }
            .allSatisfy { r.statistics.leapfrogSteps[$0] >= 1 })
    }

    @Test("standard normal in 100 dimensions: means and variances")
    func standardNormal100() throws {
        var cfg = SamplerConfiguration()
        cfg.warmup = 300
        cfg.samples = 1000
        cfg.seed = 7
        let r = try Sampler.runChain(chain: 0, density: TestStandardNormal(dimension: 100), configuration: cfg)
        // Tolerances from Monte Carlo error, assuming conservatively ESS >= N/4 = 250 per
        // coordinate for both x and x^2 (NUTS on iid normals typically gives ESS ~ N or more):
        //   sd(mean_j) <= 1/sqrt(250) = 0.063;  sd(var_j) <= sqrt(2/250) = 0.089.
        // Per coordinate, 4.5 sd covers all 100 coordinates with probability > 0.999.
        // Averaged over the 100 (nearly independent) coordinates the sds shrink by 10:
        //   sd(mean of means) <= 0.0063, sd(mean of variances) <= 0.0089; we allow 4 sd.
        var means: [Double] = [], vars: [Double] = []
        for j in 0..<100 {
            let x = drawsColumn(r.draws, j)
            means.append(sampleMean(x))
            vars.append(sampleVariance(x))
        }
        for j in 0..<100 {
            #expect(abs(means[j]) < 4.5 * 0.063, "mean of coordinate \(j) = \(means[j])")
            #expect(abs(vars[j] - 1) < 4.5 * 0.089, "variance of coordinate \(j) = \(vars[j])")
        }
        #expect(abs(sampleMean(means)) < 4 * 0.0063)
        #expect(abs(sampleMean(vars) - 1) < 4 * 0.0089, "average variance \(sampleMean(vars))")
        #expect(r.divergences == 0)
    }

    @Test("skewed target (log of a Gamma(3) variable): mean and variance")
    func skewedTarget() throws {
        var cfg = SamplerConfiguration()
        cfg.warmup = 500
        cfg.seed = 17
        let chains = try Sampler.run(configuration: cfg) { _ in TestLogGamma3() }
        let x = chains.flatMap(\.draws.storage)
        // 4000 draws; assume conservatively ESS >= N/4 = 1000 for x and x^2.
        // sd(mean) = sqrt(0.395 / 1000) = 0.020; sd(var) ~ var sqrt((kurtosis - 1) / ESS) with
        // kurtosis ~ 3.4 for this target: 0.395 * sqrt(2.4 / 1000) = 0.019. Allow 4 sd.
        #expect(abs(sampleMean(x) - TestLogGamma3.mean) < 4 * 0.020, "mean \(sampleMean(x))")
        #expect(abs(sampleVariance(x) - TestLogGamma3.variance) < 4 * 0.019, "variance \(sampleVariance(x))")
    }

    @Test("dense metric beats the diagonal metric in ESS per gradient on a correlated Gaussian")
    func denseBeatsDiagonal() throws {
        // 5-d, all correlations 0.99, scales spanning 100x: a diagonal metric fixes the scales
        // but not the condition number ~500 of the correlation matrix; a dense one fixes both.
        let target = TestGaussian.equicorrelated(scales: [1, 3, 10, 30, 100], rho: 0.99)
        func essPerGradient(_ kind: Metric.Kind) throws -> Double {
            var cfg = SamplerConfiguration()
            cfg.warmup = 500
            cfg.samples = 1000
            cfg.seed = 99
            cfg.metric = kind
            let r = try Sampler.runChain(chain: 0, density: target, configuration: cfg)
            let ess = (0..<5).map { crudeESS(drawsColumn(r.draws, $0)) }.min()!
            return ess / Double(r.samplingGradientEvaluations)
        }
        let diag = try essPerGradient(.diagonal)
        let dense = try essPerGradient(.dense)
        // The expected gain is roughly sqrt(condition number) ~ 20x; demand 3x.
        #expect(dense > 3 * diag, "ESS/gradient dense \(dense) vs diagonal \(diag)")
    }
}

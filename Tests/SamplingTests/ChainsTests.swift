import Foundation
import LinearAlgebra
import Testing
@testable import Sampling

/// Collects progress reports from concurrent workers.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [ChainProgress] = []
    func add(_ p: ChainProgress) { lock.lock(); reports.append(p); lock.unlock() }
    var all: [ChainProgress] { lock.lock(); defer { lock.unlock() }; return reports }
}

@Suite("Parallel chains")
struct ChainsTests {
    static func configuration(seed: UInt64) -> SamplerConfiguration {
        var cfg = SamplerConfiguration()
        cfg.warmup = 200
        cfg.samples = 100
        cfg.seed = seed
        cfg.progressInterval = 50
        return cfg
    }

    static let target = TestGaussian(scales: [1, 2, 0.5], correlation: .identity(3))

    @Test("same seed gives identical draws; chains differ; parallel equals sequential")
    func reproducibility() throws {
        let cfg = Self.configuration(seed: 77)
        let log = ProgressLog()
        let a = try Sampler.run(configuration: cfg, progress: { log.add($0) }) { _ in Self.target }
        let b = try Sampler.run(configuration: cfg) { _ in Self.target }
        #expect(a.count == 4)
        for c in 0..<4 {
            #expect(a[c].chain == c)
            #expect(a[c].draws == b[c].draws)
            #expect(a[c].statistics == b[c].statistics)
            #expect(a[c].draws.rows == 100 && a[c].draws.columns == 3)
            #expect(a[c].warmupDraws == nil)
            let sequential = try Sampler.runChain(chain: c, density: Self.target, configuration: cfg)
            #expect(sequential.draws == a[c].draws)
            #expect(sequential.gradientEvaluations == a[c].gradientEvaluations)
        }
        for c in 1..<4 {
            #expect(a[c].draws != a[0].draws)
            #expect(a[c].initialPoint != a[0].initialPoint)
        }
        var other = cfg
        other.seed = 78
        #expect(try Sampler.run(configuration: other) { _ in Self.target }[0].draws != a[0].draws)

        // Progress: every 50 iterations of 300, per chain.
        let reports = log.all
        for c in 0..<4 {
            let done = reports.filter { $0.chain == c }.map(\.completed).sorted()
            #expect(done == [50, 100, 150, 200, 250, 300])
        }
        #expect(reports.allSatisfy { $0.total == 300 && $0.isWarmup == ($0.completed <= 200) })
    }

    @Test("statistics, warmup draws and gradient counts are consistent")
    func bookkeeping() throws {
        var cfg = Self.configuration(seed: 3)
        cfg.chains = 2
        cfg.keepWarmup = true
        let r = try Sampler.run(configuration: cfg) { _ in Self.target }
        for chain in r {
            #expect(chain.warmupDraws?.rows == 200)
            #expect(chain.warmupStatistics?.count == 200)
            #expect(chain.statistics.count == 100)
            #expect(chain.samplingGradientEvaluations == chain.statistics.leapfrogSteps.reduce(0, +))
            #expect(chain.gradientEvaluations > chain.samplingGradientEvaluations
                    + chain.warmupStatistics!.leapfrogSteps.reduce(0, +))
            #expect(chain.statistics.stepSize.allSatisfy { $0 == chain.stepSize })
            // The last warmup draw is where sampling starts; lp matches the density there.
            var density = Self.target
            var g = [0.0, 0.0, 0.0]
            let q = Array(chain.draws.storage.prefix(3))
            #expect(abs(density.logDensity(at: q, gradient: &g) - chain.statistics.logDensity[0]) < 1e-12)
        }
    }

    @Test("initialization failures are reported per chain")
    func initializationFailure() {
        var cfg = Self.configuration(seed: 1)
        cfg.chains = 2
        cfg.initialization = .point([5, 5, 5, 5])   // BoxedNormal is -inf there
        #expect(throws: Sampler.ChainFailure.self) {
            _ = try Sampler.run(configuration: cfg) { _ in TestBoxedNormal(dimension: 4) }
        }
        cfg.initialization = .uniform(radius: 2)
        // Random inits in (-2, 2)^4 land inside (-1, 1)^4 with probability 1/16: found quickly.
        #expect(throws: Never.self) {
            _ = try Sampler.run(configuration: cfg) { _ in TestBoxedNormal(dimension: 4) }
        }
    }
}

import LinearAlgebra
import Sampling
import Testing

/// L-BFGS, the numerical Hessian and Laplace-preconditioned sampling.
struct PreconditioningTests {
    /// A 3-d Gaussian with scales spanning 1e-3 .. 10 and correlation 0.9.
    static func illScaled() -> TestGaussian {
        var g = TestGaussian.equicorrelated(scales: [1e-3, 0.5, 10], rho: 0.9)
        g = TestGaussian(mean: [0.3, -2, 7], covariance: g.covariance)
        return g
    }

    /// Rosenbrock's banana as a log density: -(1 - x)^2 - 100 (y - x^2)^2, maximum at (1, 1).
    struct Banana: LogDensity {
        var dimension: Int { 2 }
        mutating func logDensity(at q: [Double], gradient: inout [Double]) -> Double {
            let (x, y) = (q[0], q[1])
            gradient[0] = 2 * (1 - x) + 400 * x * (y - x * x)
            gradient[1] = -200 * (y - x * x)
            return -(1 - x) * (1 - x) - 100 * (y - x * x) * (y - x * x)
        }
    }

    @Test func lbfgsFindsTheModeOfAnIllScaledGaussian() {
        var g = Self.illScaled()
        let result = LBFGS().maximize(&g, from: [1, 1, 1])
        #expect(result.converged)
        for (found, truth) in zip(result.point, g.mean) { #expect(abs(found - truth) <= 1e-6 * max(1, abs(truth))) }
    }

    @Test func lbfgsSolvesRosenbrock() {
        var b = Banana()
        let result = LBFGS().maximize(&b, from: [-1.2, 1])
        #expect(abs(result.point[0] - 1) < 1e-5 && abs(result.point[1] - 1) < 1e-5, "\(result.point)")
    }

    @Test func lbfgsBacktracksOutOfInfiniteRegions() {
        // log p = -x^2/2 for x < 3, -inf beyond: a start near the wall must not step over it.
        struct Walled: LogDensity {
            var dimension: Int { 1 }
            mutating func logDensity(at q: [Double], gradient: inout [Double]) -> Double {
                gradient[0] = -q[0]
                return q[0] < 3 ? -0.5 * q[0] * q[0] : -.infinity
            }
        }
        var w = Walled()
        let result = LBFGS().maximize(&w, from: [2.9])
        #expect(abs(result.point[0]) < 1e-6)
    }

    @Test func numericalHessianOfAGaussianIsMinusItsPrecision() {
        var g = Self.illScaled()
        let h = NumericalHessian.of(&g, at: [0.1, 0.2, 0.3])
        for i in 0..<3 { for j in 0..<3 {
            let p = g.precision[i * 3 + j]
            #expect(abs(h[i, j] + p) <= 1e-6 * abs(p) + 1e-6, "H[\(i),\(j)] = \(h[i, j]) vs \(-p)")
        } }
    }

    @Test func preconditionerStandardizesAGaussian() throws {
        var g = Self.illScaled()
        let p = try LaplacePreconditioner(density: &g, starts: [[0, 0, 0]])
        // For a Gaussian the Laplace approximation is exact: z = L'(u - mean) maps the
        // covariance to the identity, and the round trip is exact.
        let u = [0.301, -1.5, 8.0]
        let back = p.position(p.standardized(u))
        for i in 0..<3 { #expect(abs(back[i] - u[i]) <= 1e-9 * max(1, abs(u[i]))) }
        var pre = PreconditionedDensity(base: g, preconditioner: p)
        var grad = [0.0, 0.0, 0.0]
        let z = [0.5, -1.0, 2.0]
        let lp = pre.logDensity(at: z, gradient: &grad)
        // log p_z(z) = -|z|^2/2 (+ const), grad = -z.
        #expect(abs(lp - (-0.5 * (0.25 + 1 + 4))) <= 1e-6)
        for i in 0..<3 { #expect(abs(grad[i] + z[i]) <= 1e-6) }
    }

    @Test func preconditionedSamplingRecoversAnIllScaledGaussian() throws {
        let g = Self.illScaled()
        var cfg = SamplerConfiguration()
        cfg.warmup = 300
        cfg.samples = 500
        cfg.seed = 5
        cfg.preconditioning = .laplace
        let chains = try Sampler.run(configuration: cfg) { _ in g }
        #expect(chains.allSatisfy { $0.preconditioner != nil && $0.divergences == 0 })
        // Draws come back on the original scale. Tolerance: 5 MC standard errors of the mean,
        // sd / sqrt(ESS) with ESS >= 1000 assumed for 2,000 draws of a standardized Gaussian
        // (NUTS gives ESS ~ draws here; crudeESS below checks the assumption).
        for i in 0..<3 {
            let x = chains.flatMap { c in (0..<c.draws.rows).map { c.draws[$0, i] } }
            let sd = g.covariance[i, i].squareRoot()
            #expect(crudeESS(x) >= 1000)
            #expect(abs(sampleMean(x) - g.mean[i]) <= 5 * sd / 1000.0.squareRoot(), "mean[\(i)]")
            // Relative sd error of a variance estimate ~ sqrt(2/ESS) = 4.5%; allow 5 of them.
            #expect(abs(sampleVariance(x) / (sd * sd) - 1) <= 5 * (2.0 / 1000).squareRoot(), "var[\(i)]")
        }
        // Steps are O(1) on the standardized scale (plain Stan would adapt to the 1e-3 scale).
        #expect(chains.allSatisfy { $0.stepSize > 0.3 })
    }
}

import LinearAlgebra
import Testing
@testable import Sampling

@Suite("Leapfrog integrator")
struct LeapfrogTests {
    /// Max |H - H0| over a trajectory of fixed physical time on the harmonic oscillator
    /// H = q^2/2 + p^2/2 (unit metric), with `steps` steps.
    func maxEnergyError(time: Double, steps: Int) -> Double {
        var density = TestStandardNormal(dimension: 1)
        var z = PhasePoint(dimension: 1)
        z.q = [1.0]
        z.p = [0.5]
        z.evaluate(&density)
        let metric = Metric.unit(dimension: 1)
        z.refreshKinetic(metric)
        let h0 = z.hamiltonian
        var worst = 0.0
        for _ in 0..<steps {
            z.leapfrog(stepSize: time / Double(steps), metric: metric, density: &density)
            worst = max(worst, abs(z.hamiltonian - h0))
        }
        return worst
    }

    @Test("energy error on the harmonic oscillator is O(eps^2)")
    func energyConservation() {
        let e1 = maxEnergyError(time: 10, steps: 100)   // eps = 0.1
        let e2 = maxEnergyError(time: 10, steps: 200)   // eps = 0.05
        let e3 = maxEnergyError(time: 10, steps: 400)   // eps = 0.025
        // Halving eps divides the error by 4 (up to O(eps^4) terms: 10% slack).
        #expect(e1 / e2 > 3.6 && e1 / e2 < 4.4, "ratio \(e1 / e2)")
        #expect(e2 / e3 > 3.6 && e2 / e3 < 4.4, "ratio \(e2 / e3)")
        // For the oscillator, H - H0 = (eps^2/8)(q0^2 - q^2) to leading order (the leapfrog exactly
        // conserves H - eps^2 q^2 / 8), and q^2 <= 2H, so |H - H0| <= eps^2 H / 4; check eps^2 H.
        #expect(e1 < 0.01 * 0.625)
    }

    @Test("L steps forward, negate p, L steps back returns to the start (diagonal and dense)")
    func reversibility() throws {
        let target = TestGaussian(scales: [1, 2, 0.5],
                                     correlation: Matrix(rows: 3, columns: 3, rowMajor: [1, 0.6, 0.2, 0.6, 1, -0.4, 0.2, -0.4, 1]))
        for metric in [try Metric(diagonalInverseMass: [1.5, 0.7, 2.0]), try Metric(denseInverseMass: target.covariance)] {
            var density = target
            var z = PhasePoint(dimension: 3)
            z.q = [0.3, -1.2, 0.8]
            z.p = [0.9, 0.1, -0.7]
            z.evaluate(&density)
            z.refreshKinetic(metric)
            let q0 = z.q, p0 = z.p
            for _ in 0..<50 { z.leapfrog(stepSize: 0.1, metric: metric, density: &density) }
            #expect(zip(z.q, q0).map { abs($0 - $1) }.max()! > 0.1)   // it did move
            for i in 0..<3 { z.p[i] = -z.p[i] }
            for _ in 0..<50 { z.leapfrog(stepSize: 0.1, metric: metric, density: &density) }
            for i in 0..<3 {
                #expect(abs(z.q[i] - q0[i]) < 1e-10)
                #expect(abs(-z.p[i] - p0[i]) < 1e-10)
            }
        }
    }

    @Test("a negative step size integrates backwards")
    func negativeStep() {
        var density = TestStandardNormal(dimension: 2)
        let metric = Metric.unit(dimension: 2)
        var z = PhasePoint(dimension: 2)
        z.q = [0.4, -0.3]
        z.p = [1.0, 0.2]
        z.evaluate(&density)
        z.refreshKinetic(metric)
        let start = z
        z.leapfrog(stepSize: 0.2, metric: metric, density: &density)
        z.leapfrog(stepSize: -0.2, metric: metric, density: &density)
        for i in 0..<2 { #expect(abs(z.q[i] - start.q[i]) < 1e-14 && abs(z.p[i] - start.p[i]) < 1e-14) }
    }
}

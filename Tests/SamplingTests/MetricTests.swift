import Foundation
import LinearAlgebra
import Testing
@testable import Sampling

@Suite("Metric")
struct MetricTests {
    static let minv = Matrix(rows: 3, columns: 3, rowMajor: [2.0, 0.6, -0.3, 0.6, 1.0, 0.2, -0.3, 0.2, 0.5])

    @Test("kinetic energy 0.5 p' M^-1 p and p# = M^-1 p, diagonal and dense")
    func kineticEnergy() throws {
        let p = [0.7, -1.1, 0.4]
        let diag = try Metric(diagonalInverseMass: [2, 1, 0.5])
        #expect(abs(diag.kineticEnergy(p) - 0.5 * (2 * 0.49 + 1.21 + 0.5 * 0.16)) < 1e-15)
        let dense = try Metric(denseInverseMass: Self.minv)
        let sharp = dense.sharp(p)
        let expected = BLAS.gemv(Self.minv, p)
        for i in 0..<3 { #expect(abs(sharp[i] - expected[i]) < 1e-15) }
        #expect(abs(dense.kineticEnergy(p) - 0.5 * BLAS.dot(p, expected)) < 1e-15)
    }

    @Test("rejects invalid metrics")
    func invalid() {
        #expect(throws: Metric.Failure.self) { try Metric(diagonalInverseMass: [1, 0, 2]) }
        #expect(throws: Metric.Failure.self) { try Metric(diagonalInverseMass: [1, .nan]) }
        #expect(throws: Metric.Failure.self) {
            try Metric(denseInverseMass: Matrix(rows: 2, columns: 2, rowMajor: [1, 2, 2, 1]))
        }
    }

    @Test("dense momentum draws have covariance M = (M^-1)^-1")
    func denseMomentumCovariance() throws {
        let metric = try Metric(denseInverseMass: Self.minv)
        var rng = Xoshiro256StarStar(seed: 8)
        let n = 40_000
        var cov = [Double](repeating: 0, count: 9)
        var p = [Double](repeating: 0, count: 3)
        for _ in 0..<n {
            metric.drawMomentum(into: &p, using: &rng)
            for i in 0..<3 { for j in 0..<3 { cov[i * 3 + j] += p[i] * p[j] / Double(n) } }
        }
        // M^-1 * Cov(p) should be I. Each entry of the product is a mean of n products with
        // sd <= sqrt((M^-1 M M^-1)_ii M_jj ... ) ~ O(1.5)/sqrt(n) = 0.0075; allow 5 sd = 0.04.
        let product = BLAS.gemm(Self.minv, Matrix(rows: 3, columns: 3, rowMajor: cov))
        for i in 0..<3 { for j in 0..<3 {
            #expect(abs(product[i, j] - (i == j ? 1 : 0)) < 0.04, "(\(i),\(j)) = \(product[i, j])")
        } }
    }

    @Test("diagonal momentum draws have variance 1 / M^-1_ii")
    func diagonalMomentumVariance() throws {
        let metric = try Metric(diagonalInverseMass: [4, 0.25])
        var rng = Xoshiro256StarStar(seed: 9)
        let n = 40_000
        var s = [0.0, 0.0], p = [0.0, 0.0]
        for _ in 0..<n {
            metric.drawMomentum(into: &p, using: &rng)
            for i in 0..<2 { s[i] += p[i] * p[i] / Double(n) }
        }
        // Relative sd of a variance estimate: sqrt(2/n) = 0.007; 5 sd.
        #expect(abs(s[0] / 0.25 - 1) < 0.035)
        #expect(abs(s[1] / 4 - 1) < 0.035)
    }
}

@Suite("Metric persistence")
struct MetricCodableTests {
    @Test("diagonal and dense metrics round-trip through JSON; corrupt data is rejected")
    func roundTrip() throws {
        let dense = try Metric(denseInverseMass: MetricTests.minv)
        let diag = try Metric(diagonalInverseMass: [0.5, 2])
        for m in [dense, diag] {
            let back = try JSONDecoder().decode(Metric.self, from: JSONEncoder().encode(m))
            #expect(back.kind == m.kind && back.inverseMassStorage == m.inverseMassStorage)
        }
        let warm = WarmStart(stepSize: 0.3, metric: diag)
        let warmBack = try JSONDecoder().decode(WarmStart.self, from: JSONEncoder().encode(warm))
        #expect(warmBack.stepSize == 0.3 && warmBack.metric.inverseMassStorage == [0.5, 2])
        let bad = Data(#"{"kind":"diagonal","dimension":2,"inverseMass":[1,-1]}"#.utf8)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Metric.self, from: bad) }
    }
}

import Foundation
import LinearAlgebra
import Testing

/// BLAS wrappers against plain loops (sizes 0, 1, n; transposes), Cholesky against its definition.
struct BLASTests {
    /// Deterministic pseudo-random values in [-1, 1) (an LCG: enough to fill test matrices).
    static func values(_ n: Int, seed: UInt64) -> [Double] {
        var s = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Double(s >> 11) / Double(1 << 52) - 1
        }
    }

    @Test(arguments: [0, 1, 37])
    func dotAxpyScal(_ n: Int) {
        let x = Self.values(n, seed: 1), y = Self.values(n, seed: 2)
        let naive = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(BLAS.dot(x, y) - naive) <= 1e-14 * Double(max(n, 1)))
        var z = y
        BLAS.axpy(2.5, x, &z)
        for i in 0..<n { #expect(abs(z[i] - (y[i] + 2.5 * x[i])) <= 1e-15 * 4) }
        var w = x
        BLAS.scal(-3, &w)
        #expect(w == x.map { -3 * $0 })
    }

    @Test(arguments: [(0, 0), (1, 1), (5, 3), (3, 7)])
    func gemvBothWays(_ shape: (Int, Int)) {
        let (m, n) = shape
        let a = Matrix(rows: m, columns: n, rowMajor: Self.values(m * n, seed: 3))
        let x = Self.values(n, seed: 4), xt = Self.values(m, seed: 5)
        let y = BLAS.gemv(a, x), yt = BLAS.gemv(transpose: true, a, xt)
        for i in 0..<m {
            let e = (0..<n).reduce(0.0) { $0 + a[i, $1] * x[$1] }
            #expect(abs(y[i] - e) <= 1e-13)
        }
        for j in 0..<n {
            let e = (0..<m).reduce(0.0) { $0 + a[$1, j] * xt[$1] }
            #expect(abs(yt[j] - e) <= 1e-13)
        }
    }

    @Test(arguments: [false, true], [false, true])
    func gemmTransposes(_ ta: Bool, _ tb: Bool) {
        let (m, k, n) = (4, 3, 5)
        let a = Matrix(rows: ta ? k : m, columns: ta ? m : k, rowMajor: Self.values(m * k, seed: 6))
        let b = Matrix(rows: tb ? n : k, columns: tb ? k : n, rowMajor: Self.values(k * n, seed: 7))
        let c = BLAS.gemm(transposeA: ta, transposeB: tb, a, b)
        let opA = ta ? a.transposed : a, opB = tb ? b.transposed : b
        #expect(c.rows == m && c.columns == n)
        for i in 0..<m { for j in 0..<n {
            let e = (0..<k).reduce(0.0) { $0 + opA[i, $1] * opB[$1, j] }
            #expect(abs(c[i, j] - e) <= 1e-13)
        } }
    }

    @Test func rowsAndRowMaps() {
        let m = Matrix(rows: 2, columns: 3, rowMajor: [1, 2, 3, 4, 5, 6])
        #expect(m.row(0) == [1, 2, 3] && m.row(1) == [4, 5, 6])
        let sums = m.mapRows { [$0.reduce(0, +)] }
        #expect(sums.rows == 2 && sums.columns == 1 && sums.storage == [6, 15])
        let doubled = m.mapRows { $0.map { 2 * $0 } }
        #expect(doubled.storage == [2, 4, 6, 8, 10, 12])
        #expect(Matrix(rows: 0, columns: 3).mapRows { $0 }.rows == 0)
    }

    /// The left block of a wider row-major matrix (leading dimension > columns), against loops.
    @Test func gemvOnTheLeftBlockOfAWiderMatrix() {
        let a = Self.values(4 * 7, seed: 12), x = Self.values(7, seed: 13)
        for (rows, columns) in [(4, 5), (2, 7), (3, 1), (0, 3), (2, 0)] {
            var y = [Double](repeating: 1, count: 4)
            a.withUnsafeBufferPointer { ap in
                x.withUnsafeBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { yp in
                        BLAS.gemv(rows: rows, columns: columns, leadingDimension: 7, alpha: -2, ap.baseAddress!, xp, beta: 0.5, yp)
                    }
                }
            }
            for i in 0..<4 {
                var dot = 0.0
                for j in 0..<columns { dot += a[i * 7 + j] * x[j] }
                let expected = i < rows ? 0.5 - 2 * dot : 1.0
                #expect(abs(y[i] - expected) <= 1e-13, "\(rows) x \(columns), row \(i)")
            }
        }
    }

    @Test func gemmWithEmptyInnerDimensionScalesC() {
        var c = Matrix(rows: 2, columns: 2, repeating: 3)
        BLAS.gemm(Matrix(rows: 2, columns: 0), Matrix(rows: 0, columns: 2), beta: 0.5, &c)
        #expect(c.storage == [1.5, 1.5, 1.5, 1.5])
    }

    @Test(arguments: [1, 2, 6])
    func choleskyFactorsAndSolves(_ n: Int) throws {
        // A = B B' + n I is symmetric positive definite.
        let b = Matrix(rows: n, columns: n, rowMajor: Self.values(n * n, seed: 8))
        var a = BLAS.gemm(transposeB: true, b, b)
        for i in 0..<n { a[i, i] += Double(n) }
        let chol = try Cholesky(a)
        let llt = BLAS.gemm(transposeB: true, chol.factor, chol.factor)
        for i in 0..<n { for j in 0..<n {
            #expect(abs(llt[i, j] - a[i, j]) <= 1e-12 * Double(n))
            if j > i { #expect(chol.factor[i, j] == 0) }
        } }
        let rhs = Self.values(n, seed: 9)
        var x = rhs
        chol.solve(&x)
        let back = BLAS.gemv(a, x)
        for i in 0..<n { #expect(abs(back[i] - rhs[i]) <= 1e-11) }
        // L (L^-1 v) = v and L' (L'^-1 v) = v.
        var lo = rhs; chol.solveLower(&lo)
        var up = rhs; chol.solveUpper(&up)
        let l1 = chol.multiplyLower(lo), u1 = chol.multiplyUpper(up)
        for i in 0..<n { #expect(abs(l1[i] - rhs[i]) <= 1e-12 && abs(u1[i] - rhs[i]) <= 1e-12) }
        // log det via the factor equals the log of the product of eigen... checked for n = 2 exactly.
        if n == 2 {
            let det = a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]
            #expect(abs(chol.logDeterminant - log(det)) <= 1e-12)
        }
    }

    @Test func choleskyRejectsIndefiniteMatrices() {
        let a = Matrix(rows: 2, columns: 2, rowMajor: [1, 2, 2, 1])
        #expect(throws: Cholesky.Failure.notPositiveDefinite(order: 2)) { try Cholesky(a) }
        let message = Cholesky.Failure.notPositiveDefinite(order: 2).description
        #expect(message.contains("not positive definite") && message.contains("regularize"))
    }
}

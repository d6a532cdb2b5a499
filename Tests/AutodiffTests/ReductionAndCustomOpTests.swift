import Autodiff
import Foundation
import Testing
import TestSupport

/// sum, dot, custom vector operations, constant folding and replay semantics.
struct ReductionAndCustomOpTests {
    @Test(arguments: [0, 1, 7])
    func sumAndDot(_ n: Int) {
        let r = TapeRecorder()
        let a = r.parameterVector("a", count: n)
        let b = r.parameterVector("b", count: n)
        let tape = r.finish(output: r.sum(a) * 2.0 + r.dot(a, b) + r.dot(b, b))
        let point = (0..<(2 * n)).map { Double($0) * 0.37 - 1 }
        var t = tape
        let a0 = Array(point.prefix(n)), b0 = Array(point.suffix(n))
        let expected = 2 * a0.reduce(0, +) + zip(a0, b0).reduce(0) { $0 + $1.0 * $1.1 } + b0.reduce(0) { $0 + $1 * $1 }
        #expect(close(t.value(at: point), expected, 1e-13))
        #expect(GradientChecker().check("sum/dot n=\(n)", tape: tape, at: point).isEmpty)
    }

    /// y_i = s * sum_{j <= i} exp(x_j): a prefix sum with a hand-written backward
    /// (dx_j = exp(x_j) * s * sum_{i >= j} dy_i, ds = sum_i dy_i y_i / s).
    struct ScaledPrefixSum: CustomVectorOperation {
        var name: String { "scaled_prefix_sum" }
        func outputCount(inputCounts: [Int]) -> Int { inputCounts[1] }
        mutating func forward(_ io: CustomOperationIO) {
            let s = io.input(0)[0], x = io.input(1), y = io.output
            var acc = 0.0
            for i in 0..<x.count { acc += exp(x[i]); y[i] = s * acc }
        }
        mutating func backward(_ io: CustomOperationIO) {
            let s = io.input(0)[0], x = io.input(1), dy = io.outputAdjoint
            var suffix = 0.0, ds = 0.0
            var acc = 0.0
            for i in 0..<x.count { acc += exp(x[i]); ds += dy[i] * acc }
            if let dx = io.inputAdjoint(1) {
                for j in stride(from: x.count - 1, through: 0, by: -1) {
                    suffix += dy[j]
                    dx[j] += exp(x[j]) * s * suffix
                }
            }
            if let dsOut = io.inputAdjoint(0) { dsOut[0] += ds }
        }
    }

    @Test(arguments: [0, 1, 7])
    func customOperation(_ n: Int) {
        let r = TapeRecorder()
        let s = r.parameter("s")
        let x = r.parameterVector("x", count: n)
        let y = r.custom(ScaledPrefixSum(), inputs: [s, x])
        // x is used again after the custom op, so its adjoint gets two contributions.
        let tape = r.finish(output: r.dot(r.vector((0..<n).map { 1 / (1 + Double($0)) }), y) + r.sum(x * x))
        let point = [1.3] + (0..<n).map { -0.4 + 0.3 * Double($0) }
        #expect(GradientChecker().check("custom n=\(n)", tape: tape, at: point).isEmpty)
    }

    @Test func customOperationOnDataIsFolded() {
        let r = TapeRecorder()
        let p = r.parameter("p")
        let folded = r.custom(ScaledPrefixSum(), inputs: [r.constant(2), r.vector([0, 0, 0])])
        var tape = r.finish(output: r.sum(folded) * p)
        #expect(tape.value(at: [1]) == 12) // 2 * (1 + 2 + 3)
        var g = [0.0]
        _ = tape.valueAndGradient(at: [3], gradient: &g)
        #expect(g == [12])
    }

    @Test func copiesReplayIndependently() {
        let r = TapeRecorder()
        let x = r.parameter("x")
        let tape = r.finish(output: r.exp(x) * x)
        var a = tape, b = tape
        var g = [0.0]
        let va = a.valueAndGradient(at: [1], gradient: &g)
        let vb = b.valueAndGradient(at: [2], gradient: &g)
        #expect(close(va, exp(1.0)) && close(vb, 2 * exp(2.0)))
        #expect(a.scalarValue(of: a.output) == va)
        // Replaying the same point gives bit-identical results (no state leaks between passes).
        let again = a.valueAndGradient(at: [1], gradient: &g)
        #expect(again == va && close(g[0], 2 * exp(1.0)))
    }

    @Test func unusedParameterHasZeroGradient() {
        let r = TapeRecorder()
        let x = r.parameter("x")
        _ = r.parameter("unused")
        var tape = r.finish(output: x * x)
        var g = [9.0, 9.0]
        _ = tape.valueAndGradient(at: [3, 4], gradient: &g)
        #expect(g == [6, 0])
    }

    @Test func powerLawSumOfSquaresMatchesTheHandDerivation() {
        // f = sum (y - (E + A t^-alpha))^2; df/dE = -2 sum r, df/dA = -2 sum r t^-alpha,
        // df/dalpha = 2 A sum r t^-alpha log t, with r the residual.
        let t = (1...200).map { Double($0) * 7 }
        let y = t.map { 2 + 3 * pow($0, -0.4) + 0.01 * sin($0) }
        let r = TapeRecorder()
        let e = r.parameter("E"), a = r.parameter("A"), alpha = r.parameter("alpha")
        let residual = r.vector(y) - (e + a * r.vector(t) ** (-alpha))
        var tape = r.finish(output: r.sum(residual ** 2))
        let p = [1.9, 2.5, 0.35]
        var g = [0.0, 0.0, 0.0]
        let v = tape.valueAndGradient(at: p, gradient: &g)
        var f = 0.0, dE = 0.0, dA = 0.0, dAlpha = 0.0
        for (ti, yi) in zip(t, y) {
            let tp = pow(ti, -p[2]); let res = yi - (p[0] + p[1] * tp)
            f += res * res; dE -= 2 * res; dA -= 2 * res * tp; dAlpha += 2 * p[1] * res * tp * log(ti)
        }
        #expect(close(v, f, 1e-11))
        #expect(close(g[0], dE, 1e-10) && close(g[1], dA, 1e-10) && close(g[2], dAlpha, 1e-10))
    }
}

struct SliceTests {
    @Test(arguments: [(0, 0), (0, 5), (2, 3), (4, 1)])
    func sliceGradient(_ range: (Int, Int)) {
        let r = TapeRecorder()
        let x = r.parameterVector("x", count: 5)
        let head = r.slice(x, from: range.0, count: range.1)
        // Lagged products as in an AR(1) likelihood, plus a second use of x.
        let tape = r.finish(output: r.sum(r.exp(head) * 1.5) + r.sum(x) * 0.25)
        var t = tape
        let point = [0.1, -0.3, 0.7, 1.1, -2.0]
        let expected = point[range.0 ..< range.0 + range.1].reduce(0) { $0 + 1.5 * exp($1) } + 0.25 * point.reduce(0, +)
        #expect(close(t.value(at: point), expected, 1e-13))
        #expect(GradientChecker().check("slice \(range)", tape: tape, at: point).isEmpty)
    }

    @Test func laggedDifferences() {
        let r = TapeRecorder()
        let x = r.parameterVector("x", count: 6)
        let d = r.slice(x, from: 1, count: 5) - 0.5 * r.slice(x, from: 0, count: 5)
        let tape = r.finish(output: r.sum(d ** 2))
        #expect(GradientChecker().check("lagged", tape: tape, at: [0.3, -1, 2, 0.5, 0.1, -0.7]).isEmpty)
    }
}

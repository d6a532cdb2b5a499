import Autodiff
import Foundation
import Testing
import TestSupport

/// Binary ops under every broadcast (scalar-scalar, scalar-vector, vector-scalar,
/// vector-vector) at sizes 0, 1 and 7, and at ordinary and awkward operand pairs.
struct BinaryOpGradientTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let pairs: [(Double, Double)]
        let record: @Sendable (Variable, Variable) -> Variable
        let reference: @Sendable (Double, Double) -> Double
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "add", pairs: [(1, 2), (-1e300, 1e300), (1e-300, -3)], record: { $0 + $1 }, reference: { $0 + $1 }),
        Case(name: "subtract", pairs: [(1, 2), (1e-300, 1e300), (5, 5)], record: { $0 - $1 }, reference: { $0 - $1 }),
        Case(name: "multiply", pairs: [(1.5, -2), (1e-150, 1e150), (0, 3)], record: { $0 * $1 }, reference: { $0 * $1 }),
        Case(name: "divide", pairs: [(1.5, -2), (1e-150, 1e150), (3, 1e-100)], record: { $0 / $1 }, reference: { $0 / $1 }),
        Case(name: "power", pairs: [(2, 3), (0.5, -0.7), (1e-8, 0.5), (1e6, -2), (3, 0), (7, 1e-9)],
             record: { $0 ** $1 }, reference: { pow($0, $1) }),
    ]

    enum Shape: CaseIterable { case scalarScalar, scalarVector, vectorScalar, vectorVector }

    @Test("binary op under every broadcast", arguments: cases, Shape.allCases)
    func broadcast(_ c: Case, _ shape: Shape) {
        let sizes = shape == .scalarScalar ? [1] : [0, 1, 7]
        for n in sizes {
            for (pa, pb) in c.pairs {
                let r = TapeRecorder()
                let aIsVector = shape == .vectorScalar || shape == .vectorVector
                let bIsVector = shape == .scalarVector || shape == .vectorVector
                let a = aIsVector ? r.parameterVector("a", count: n) : r.parameter("a")
                let b = bIsVector ? r.parameterVector("b", count: n) : r.parameter("b")
                let y = c.record(a, b)
                let weights = (0..<n).map { 1 + 0.25 * Double($0) }
                let out = r.isScalar(y) ? y : r.dot(r.vector(weights), y)
                let tape = r.finish(output: out)
                // Vector elements are perturbed slightly so that the checker sees distinct values.
                let aValues = aIsVector ? (0..<n).map { pa * (1 + 1e-3 * Double($0)) } : [pa]
                let bValues = bIsVector ? (0..<n).map { pb * (1 + 2e-3 * Double($0)) } : [pb]
                var t = tape
                let value = t.value(at: aValues + bValues)
                var expected = 0.0
                let m = (aIsVector || bIsVector) ? n : 1
                for i in 0..<m {
                    let f = c.reference(aIsVector ? aValues[i] : pa, bIsVector ? bValues[i] : pb)
                    expected += (aIsVector || bIsVector) ? weights[i] * f : f
                }
                #expect(close(value, expected, 1e-11), "\(c.name) \(shape) n=\(n): \(value) vs \(expected)")
                let bad = GradientChecker().check("\(c.name)[\(shape), n=\(n)]", tape: tape, at: aValues + bValues)
                #expect(bad.isEmpty, "\(bad)")
            }
        }
    }

    @Test func sameOperandTwice() {
        // x * x and x / x route two contributions into one adjoint.
        let r = TapeRecorder()
        let x = r.parameterVector("x", count: 3)
        let tape = r.finish(output: r.sum(x * x + x / (x + 1.0)))
        #expect(GradientChecker().check("x*x + x/(x+1)", tape: tape, at: [0.5, -2, 3]).isEmpty)
    }

    @Test func dataBaseWithParameterExponentIsOneFusedNode() {
        // t^(-alpha) with data t records log t once and replays one scaled-exp pass.
        let t = (1...50).map { Double($0) * 10 }
        let r = TapeRecorder()
        let alpha = r.parameter("alpha")
        let y = r.vector(t) ** (-alpha)
        let before = r.count(of: y)
        let tape = r.finish(output: r.sum(y))
        #expect(before == 50)
        var copy = tape
        let v = copy.value(at: [0.7])
        #expect(close(v, t.reduce(0) { $0 + pow($1, -0.7) }, 1e-13))
        #expect(GradientChecker().check("t^-alpha", tape: tape, at: [0.7]).isEmpty)
        #expect(GradientChecker().check("t^-alpha tiny", tape: tape, at: [1e-9]).isEmpty)
        #expect(GradientChecker().check("t^-alpha huge", tape: tape, at: [80]).isEmpty)
    }
}

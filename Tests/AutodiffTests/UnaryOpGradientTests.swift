import Autodiff
import Foundation
import Testing
import TestSupport

/// Every unary op is checked against finite differences at sizes 0, 1 (scalar and 1-vector)
/// and n = 7, at ordinary and awkward points (tiny and huge magnitudes, near domain edges).
struct UnaryOpGradientTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let points: [Double]
        let record: @Sendable (TapeRecorder, Variable) -> Variable
        let reference: @Sendable (Double) -> Double
        /// Where the domain ends (the finite-difference step is taken relative to the distance).
        var edge: Double? = nil
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "negate", points: [-1e300, -2.5, 0, 1e-300, 7], record: { r, x in r.negate(x) }, reference: { -$0 }),
        Case(name: "exp", points: [-700, -30, -1e-8, 0, 1e-8, 1, 30, 700], record: { r, x in r.exp(x) }, reference: exp),
        Case(name: "log", points: [1e-300, 1e-8, 0.5, 1, 3, 1e8, 1e300], record: { r, x in r.log(x) }, reference: log),
        Case(name: "log1p", points: [-0.999, -0.5, -1e-10, 0, 1e-12, 1, 1e8, 1e300], record: { r, x in r.log1p(x) }, reference: log1p, edge: -1),
        Case(name: "sqrt", points: [1e-300, 1e-12, 0.25, 2, 1e12, 1e300], record: { r, x in r.sqrt(x) }, reference: { $0.squareRoot() }),
        Case(name: "softplus", points: [-700, -40, -1, 0, 1e-9, 1, 40, 700], record: { r, x in r.softplus(x) },
             reference: { max($0, 0) + log1p(exp(-abs($0))) }),
        Case(name: "square", points: [-1e150, -1, 0, 1e-150, 3], record: { r, x in x ** 2 }, reference: { $0 * $0 }),
        Case(name: "pow0.5", points: [1e-300, 1e-8, 1, 2, 1e8], record: { r, x in x ** 0.5 }, reference: { pow($0, 0.5) }),
        Case(name: "pow-1.5", points: [1e-100, 1e-8, 1, 2, 1e8], record: { r, x in x ** -1.5 }, reference: { pow($0, -1.5) }),
        Case(name: "pow3.3", points: [1e-50, 1e-8, 1, 2, 1e50], record: { r, x in x ** 3.3 }, reference: { pow($0, 3.3) }),
    ]

    @Test("unary op on a scalar parameter", arguments: cases)
    func scalar(_ c: Case) {
        for p in c.points {
            let r = TapeRecorder()
            let x = r.parameter("x")
            let tape = r.finish(output: c.record(r, x))
            var t = tape
            let v = t.value(at: [p])
            #expect(close(v, c.reference(p)), "\(c.name)(\(p)) = \(v), expected \(c.reference(p))")
            let bad = GradientChecker().check(c.name, tape: tape, at: [p], stepScales: c.edge.map { [abs(p - $0)] })
            #expect(bad.isEmpty, "\(bad)")
        }
    }

    @Test("unary op on vectors of size 0, 1 and 7", arguments: cases)
    func vector(_ c: Case) {
        for n in [0, 1, 7] {
            for p in c.points {
                // x_i = p * (1 - i/10^4) moves toward 0, so it stays inside the op's domain;
                // the weights make the backward pass see a non-uniform adjoint.
                let point = (0..<n).map { p * (1 - Double($0) / 10_000) }
                let weights = (0..<n).map { 0.5 + Double($0) }
                let r = TapeRecorder()
                let x = r.parameterVector("x", count: n)
                let y = c.record(r, x)
                let tape = r.finish(output: r.dot(r.vector(weights), y))
                var t = tape
                let v = t.value(at: point)
                let expected = zip(weights, point).reduce(0.0) { $0 + $1.0 * c.reference($1.1) }
                #expect(close(v, expected), "\(c.name) n=\(n) at \(p): \(v) vs \(expected)")
                let bad = GradientChecker().check("\(c.name)[n=\(n)]", tape: tape, at: point,
                                                  stepScales: c.edge.map { e in point.map { abs($0 - e) } })
                #expect(bad.isEmpty, "\(bad)")
            }
        }
    }

    @Test func softplusIsStableAtExtremes() {
        let r = TapeRecorder()
        let x = r.parameter()
        var t = r.finish(output: r.softplus(x))
        var g = [0.0]
        #expect(t.valueAndGradient(at: [1000], gradient: &g) == 1000)
        #expect(g[0] == 1)
        let tiny = t.valueAndGradient(at: [-700], gradient: &g)
        #expect(close(tiny, exp(-700.0)) && close(g[0], exp(-700.0)))
    }
}

/// Relative closeness with a floor for values at or near zero (tolerance ~ sqrt(ulp) scaled down:
/// the kernels are within a few ulp, so 1e-12 relative is generous yet catches wrong formulas).
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    if a == b { return true }
    if a.isNaN || b.isNaN { return false }
    return abs(a - b) <= tolerance * max(abs(a), abs(b), Double.leastNormalMagnitude)
}

import Foundation
import LinearAlgebra
import Testing

/// The vectorized kernels against the C library, in ulps, over wide ranges and at the edges.
struct ElementwiseTests {
    /// Distance in units in the last place between two finite doubles of the same sign.
    static func ulps(_ a: Double, _ b: Double) -> Double {
        if a == b { return 0 }
        if a.isNaN || b.isNaN || a.isInfinite || b.isInfinite { return .infinity }
        return abs(a - b) / max(a.ulp, b.ulp)
    }

    static func grid(_ lo: Double, _ hi: Double, _ n: Int) -> [Double] {
        (0..<n).map { lo + (hi - lo) * Double($0) / Double(n - 1) }
    }

    /// Kernel accuracy bound: 2 ulp (the polynomial exp is within 2, log within 1, measured on
    /// millions of points when the kernels were written; the libm reference itself is < 1 ulp).
    static let maximumULPs = 2.5

    @Test func expMatchesLibm() {
        let x = Self.grid(-708, 709, 20_001) + [-1e-300, 0, 1e-300, 1e-10, -1e-10]
        let y = Elementwise.exp(x)
        for (xi, yi) in zip(x, y) { #expect(Self.ulps(yi, exp(xi)) <= Self.maximumULPs, "exp(\(xi))") }
        let edges = Elementwise.exp([-.infinity, .infinity, 710, -746, .nan])
        #expect(edges[0] == 0 && edges[1] == .infinity && edges[2] == .infinity && edges[3] == 0 && edges[4].isNaN)
        // Subnormal results keep their value to within a subnormal ulp.
        let sub = Elementwise.exp([-740])[0]
        #expect(abs(sub - exp(-740.0)) <= 2 * Double.leastNonzeroMagnitude)
    }

    @Test func logMatchesLibm() {
        let x = Self.grid(-700, 700, 20_001).map { exp($0) } + [1, 2, 0.5, Double.leastNormalMagnitude / 1000, Double.greatestFiniteMagnitude]
        let y = Elementwise.log(x)
        for (xi, yi) in zip(x, y) { #expect(Self.ulps(yi, log(xi)) <= Self.maximumULPs, "log(\(xi))") }
        let edges = Elementwise.log([0, -1, .infinity, .nan])
        #expect(edges[0] == -.infinity && edges[1].isNaN && edges[2] == .infinity && edges[3].isNaN)
    }

    @Test func log1pIsAccurateNearZero() {
        let x = Self.grid(-0.999, 10, 10_001) + [1e-300, -1e-17, 1e-9, -1e-9, 1e300]
        let y = Elementwise.log1p(x)
        for (xi, yi) in zip(x, y) { #expect(Self.ulps(yi, log1p(xi)) <= Self.maximumULPs, "log1p(\(xi))") }
        let edges = Elementwise.log1p([-1, -2, .infinity])
        #expect(edges[0] == -.infinity && edges[1].isNaN && edges[2] == .infinity)
    }

    @Test func softplusAndSigmoidAreStable() {
        let x = Self.grid(-700, 700, 5_001)
        let sp = Elementwise.softplus(x), sg = Elementwise.sigmoid(x)
        for (i, xi) in x.enumerated() {
            let reference = max(xi, 0) + log1p(exp(-abs(xi)))
            #expect(Self.ulps(sp[i], reference) <= 4, "softplus(\(xi))")
            let sigmoid = xi >= 0 ? 1 / (1 + exp(-xi)) : exp(xi) / (1 + exp(xi))
            #expect(Self.ulps(sg[i], sigmoid) <= 4, "sigmoid(\(xi))")
        }
        #expect(Elementwise.softplus([800])[0] == 800)
    }

    @Test func powMatchesLibmForPositiveBases() {
        let a = Self.grid(1e-3, 1e4, 3_001), b = Self.grid(-3, 3, 3_001)
        let y = Elementwise.pow(a, b)
        // exp(b log a): the error grows like |b log a| ulp (documented), here |b log a| <= 28.
        for i in a.indices { #expect(Self.ulps(y[i], pow(a[i], b[i])) <= 2 + abs(b[i] * log(a[i])) * 2) }
    }

    @Test func inPlaceUseIsAllowed() {
        var x = [0.0, 1, -1, 2]
        let expected = x.map { exp($0) }
        x.withUnsafeMutableBufferPointer { p in Elementwise.exp(UnsafeBufferPointer(p), into: p) }
        for i in x.indices { #expect(Self.ulps(x[i], expected[i]) <= Self.maximumULPs) }
    }

    @Test func emptyBuffersAreFine() {
        #expect(Elementwise.exp([]).isEmpty && Elementwise.log([]).isEmpty && Elementwise.softplus([]).isEmpty)
    }
}

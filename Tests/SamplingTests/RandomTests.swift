import Testing
@testable import Sampling

@Suite("xoshiro256** generator")
struct RandomTests {
    @Test("splitmix64 seeding matches the reference first output for seed 0")
    func splitmixReference() {
        var x: UInt64 = 0
        // First splitmix64 output from state 0 (Vigna's reference implementation).
        #expect(Xoshiro256StarStar.splitmix64(&x) == 0xE220_A839_7B1D_CDAF)
    }

    @Test("same seed gives the same stream; different seeds and streams differ")
    func reproducible() {
        var a = Xoshiro256StarStar(seed: 42), b = Xoshiro256StarStar(seed: 42)
        let xa = (0..<100).map { _ in a.next() }, xb = (0..<100).map { _ in b.next() }
        #expect(xa == xb)
        var c = Xoshiro256StarStar(seed: 43)
        #expect((0..<100).map { _ in c.next() } != xa)
        var s1 = Xoshiro256StarStar(seed: 42, stream: 1), s2 = Xoshiro256StarStar(seed: 42, stream: 2)
        let y1 = (0..<100).map { _ in s1.next() }, y2 = (0..<100).map { _ in s2.next() }
        #expect(y1 != xa && y2 != xa && y1 != y2)
        // Stream 2 is stream 1 jumped once more.
        var j = Xoshiro256StarStar(seed: 42, stream: 1)
        j.jump()
        #expect((0..<100).map { _ in j.next() } == y2)
    }

    @Test("uniform draws lie in [0, 1) with mean 1/2 and variance 1/12")
    func uniformMoments() {
        var g = Xoshiro256StarStar(seed: 1)
        let n = 200_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n {
            let u = g.uniform()
            #expect(u >= 0 && u < 1)
            s += u; s2 += u * u
        }
        let m = s / Double(n), v = s2 / Double(n) - m * m
        // sd of the mean = sqrt(1/12 / n) = 6.5e-4; of the variance ~ sqrt(1/180 / n) = 1.7e-4. 5 sd.
        #expect(abs(m - 0.5) < 5 * 6.5e-4)
        #expect(abs(v - 1.0 / 12) < 5 * 1.7e-4)
    }

    @Test("standard normal draws: mean 0, variance 1, kurtosis 3")
    func normalMoments() {
        var g = Xoshiro256StarStar(seed: 2)
        let n = 200_000
        var s = 0.0, s2 = 0.0, s4 = 0.0
        for _ in 0..<n {
            let z = g.standardNormal()
            s += z; s2 += z * z; s4 += z * z * z * z
        }
        let m = s / Double(n), v = s2 / Double(n), k = s4 / Double(n)
        // sd: mean 1/sqrt(n) = 2.2e-3; E z^2: sqrt(2/n) = 3.2e-3; E z^4: sqrt(96/n) = 0.022. 5 sd.
        #expect(abs(m) < 5 * 2.2e-3)
        #expect(abs(v - 1) < 5 * 3.2e-3)
        #expect(abs(k - 3) < 5 * 0.022)
    }
}

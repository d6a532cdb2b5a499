/// The xoshiro256** pseudo-random generator (Blackman & Vigna 2018, "Scrambled linear
/// pseudorandom number generators"), seeded through splitmix64.
///
/// 256 bits of state, period 2^256 - 1, passes BigCrush. Independent streams come from `jump()`,
/// which advances the state by 2^128 draws: chain `c` uses the base state jumped `c` times, so
/// the streams of different chains cannot overlap for any realistic run length.
///
/// Reproducibility: the same `(seed, stream)` always yields the same sequence on every platform
/// (only integer arithmetic; the floating-point helpers use correctly rounded operations and the
/// C library's `log`, `sqrt`).
public struct Xoshiro256StarStar: Sendable, Equatable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64
    /// The second value of the last Marsaglia polar pair, if not yet used.
    @usableFromInline var spareNormal: Double?

    /// A generator whose 256-bit state is filled by four splitmix64 outputs of `seed`
    /// (the seeding recommended by the xoshiro authors: it never yields the all-zero state).
    public init(seed: UInt64) {
        var x = seed
        s0 = Self.splitmix64(&x)
        s1 = Self.splitmix64(&x)
        s2 = Self.splitmix64(&x)
        s3 = Self.splitmix64(&x)
        spareNormal = nil
    }

    /// Stream `stream` of `seed`: the seeded generator jumped `stream` times (2^128 draws each).
    public init(seed: UInt64, stream: Int) {
        precondition(stream >= 0, "Xoshiro256StarStar: stream \(stream) is negative")
        self.init(seed: seed)
        for _ in 0..<stream { jump() }
    }

    /// splitmix64 (Steele, Lea & Flood 2014), used only to expand the seed.
    @usableFromInline
    static func splitmix64(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) @usableFromInline
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Advances the state by 2^128 draws (the authors' jump polynomial).
    public mutating func jump() {
        let polynomial: [UInt64] = [0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C,
                                    0xA958_6295_76EF_1F5F, 0x39AB_DC45_29B1_661C]
        var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0
        for word in polynomial {
            for bit in 0..<64 {
                if word & (UInt64(1) << UInt64(bit)) != 0 {
                    t0 ^= s0; t1 ^= s1; t2 ^= s2; t3 ^= s3
                }
                _ = next()
            }
        }
        s0 = t0; s1 = t1; s2 = t2; s3 = t3
        spareNormal = nil
    }

    /// Uniform on [0, 1): the top 53 bits times 2^-53, so every value is an exact multiple of
    /// 2^-53 and 1 is never returned.
    @inlinable
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform on [a, b).
    @inlinable
    public mutating func uniform(in a: Double, _ b: Double) -> Double {
        a + (b - a) * uniform()
    }

    /// A standard normal draw by Marsaglia's polar method (Marsaglia & Bray 1964).
    ///
    /// (u, v) uniform on the square (-1, 1)^2 is kept if s = u^2 + v^2 lies in (0, 1); then
    /// u sqrt(-2 log s / s) and v sqrt(-2 log s / s) are two independent N(0, 1) draws (the
    /// Box-Muller transform without trigonometric functions). The second is kept for the next call.
    public mutating func standardNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s >= 1 || s == 0 { continue }
            let factor = (-2 * _log(s) / s).squareRoot()
            spareNormal = v * factor
            return u * factor
        }
    }
}

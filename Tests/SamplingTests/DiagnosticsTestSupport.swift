import Foundation

/// A fixed-seed generator for the diagnostics tests: SplitMix64 (Steele, Lea and Flood 2014,
/// "Fast splittable pseudorandom number generators") for uniforms, Box-Muller for normals.
struct DiagnosticsTestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on (0, 1): the top 53 bits, offset by half an ulp so 0 never occurs (log(0)).
    mutating func uniform() -> Double {
        (Double(nextUInt64() >> 11) + 0.5) * 0x1p-53
    }

    /// Standard normal by the Box-Muller transform (one of the pair is used; simplicity over speed).
    mutating func normal() -> Double {
        let u1 = uniform()
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// `chains` chains of `draws` iid N(mean_j, scale_j^2) values.
    mutating func normalChains(chains: Int, draws: Int, mean: (Int) -> Double = { _ in 0 },
                               scale: (Int) -> Double = { _ in 1 }) -> [[Double]] {
        (0..<chains).map { j in (0..<draws).map { _ in mean(j) + scale(j) * normal() } }
    }

    /// Stationary AR(1) chains x_t = phi x_{t-1} + e_t, e_t ~ N(0, 1), started from the
    /// stationary law N(0, 1/(1 - phi^2)) so there is no burn-in transient.
    mutating func ar1Chains(chains: Int, draws: Int, phi: Double) -> [[Double]] {
        (0..<chains).map { _ in
            var x = normal() / (1 - phi * phi).squareRoot()
            return (0..<draws).map { _ in
                defer { x = phi * x + normal() }
                return x
            }
        }
    }
}

import Foundation

extension MCMCDiagnostics {
    /// The biased sample autocovariance of one series at lags 0..<n, computed by FFT.
    ///
    /// ```
    /// acov[t] = (1/n) sum_{i=0}^{n-1-t} (x_i - xbar)(x_{i+t} - xbar),   t = 0, ..., n-1
    /// ```
    /// The 1/n ("biased") normalisation is the one Geyer (1992, "Practical Markov chain Monte
    /// Carlo", Statistical Science 7(4)) recommends and Stan uses: it keeps the sequence positive
    /// definite. By the Wiener-Khinchin theorem the autocovariance is the inverse transform of
    /// the power spectrum |F(c)|^2 of the centred series c; zero-padding c to a length N >= 2n
    /// turns the FFT's circular correlation into the linear one (a lag t < n never wraps round),
    /// so the result is exact up to rounding: about log2(N) ulp of sum c_i^2, far below the
    /// 1e-12 the tests ask for. Cost O(n log n) instead of the direct O(n^2).
    ///
    /// Returns an empty array for an empty series.
    public static func autocovariance(_ series: [Double]) -> [Double] {
        let n = series.count
        guard n > 0 else { return [] }
        let mean = series.reduce(0, +) / Double(n)
        let fft = RadixTwoFFT(size: RadixTwoFFT.paddedSize(forLinearCorrelationOf: n))
        var re = [Double](repeating: 0, count: fft.size)
        var im = [Double](repeating: 0, count: fft.size)
        for i in 0..<n { re[i] = series[i] - mean }
        fft.transform(re: &re, im: &im, inverse: false)
        for k in 0..<fft.size {
            re[k] = re[k] * re[k] + im[k] * im[k]
            im[k] = 0
        }
        fft.transform(re: &re, im: &im, inverse: true)
        // The unnormalised inverse transform carries a factor N; the 1/n is the biased estimate.
        let scale = 1 / (Double(fft.size) * Double(n))
        return (0..<n).map { re[$0] * scale }
    }

    /// The same autocovariance as `autocovariance(_:)` by the direct O(n^2) sum: the oracle the
    /// FFT is tested against.
    static func directAutocovariance(_ series: [Double]) -> [Double] {
        let n = series.count
        guard n > 0 else { return [] }
        let mean = series.reduce(0, +) / Double(n)
        let c = series.map { $0 - mean }
        return (0..<n).map { t in
            var sum = 0.0
            for i in 0..<(n - t) { sum += c[i] * c[i + t] }
            return sum / Double(n)
        }
    }
}

/// An iterative radix-2 Cooley-Tukey FFT of a fixed power-of-two size (implementation detail of
/// the autocovariance).
///
/// The twiddle factors exp(-2 pi i k / N) are tabulated once with `cos`/`sin` of each angle
/// rather than by the recurrence w_{k+1} = w_k w_1, whose rounding error grows with k; with the
/// table each butterfly stage adds O(1) ulp, so the transform's error is O(log N) ulp of the
/// input's norm.
struct RadixTwoFFT {
    let size: Int
    private let cosTable: [Double]
    private let sinTable: [Double]

    /// The smallest power of two >= 2n, enough zero padding for a linear correlation of n points.
    static func paddedSize(forLinearCorrelationOf n: Int) -> Int {
        var size = 1
        while size < 2 * n { size <<= 1 }
        return size
    }

    init(size: Int) {
        precondition(size > 0 && size & (size - 1) == 0, "FFT size must be a power of two")
        self.size = size
        let half = size / 2
        cosTable = (0..<half).map { cos(2 * Double.pi * Double($0) / Double(size)) }
        sinTable = (0..<half).map { sin(2 * Double.pi * Double($0) / Double(size)) }
    }

    /// In place: forward X_k = sum_j x_j exp(-2 pi i jk/N), or the inverse without the 1/N.
    func transform(re: inout [Double], im: inout [Double], inverse: Bool) {
        precondition(re.count == size && im.count == size)
        // Bit-reversal permutation.
        var j = 0
        for i in 1..<max(size, 1) {
            var bit = size >> 1
            while j & bit != 0 {
                j ^= bit
                bit >>= 1
            }
            j |= bit
            if i < j {
                re.swapAt(i, j)
                im.swapAt(i, j)
            }
        }
        let sign: Double = inverse ? 1 : -1
        var length = 2
        while length <= size {
            let halfLength = length / 2
            let stride = size / length
            var start = 0
            while start < size {
                for k in 0..<halfLength {
                    let wr = cosTable[k * stride]
                    let wi = sign * sinTable[k * stride]
                    let a = start + k
                    let b = a + halfLength
                    let tr = re[b] * wr - im[b] * wi
                    let ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr
                    im[b] = im[a] - ti
                    re[a] += tr
                    im[a] += ti
                }
                start += length
            }
            length <<= 1
        }
    }
}

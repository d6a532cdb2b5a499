import LinearAlgebra

/// Running mean and variance of vectors by Welford's algorithm (Stan Math
/// `welford_var_estimator.hpp`): numerically stable, no sum of squares is ever formed.
/// ```
/// n += 1;  delta = q - m;  m += delta / n;  M2 += (q - m) .* delta;   var = M2 / (n - 1)
/// ```
struct WelfordVarianceEstimator {
    private(set) var count = 0
    private(set) var mean: [Double]
    private var m2: [Double]

    init(dimension: Int) {
        mean = Array(repeating: 0, count: dimension)
        m2 = Array(repeating: 0, count: dimension)
    }

    mutating func add(_ q: [Double]) {
        count += 1
        let n = Double(count)
        for i in 0..<mean.count {
            let delta = q[i] - mean[i]
            mean[i] += delta / n
            m2[i] += (q[i] - mean[i]) * delta
        }
    }

    /// The sample variance (n - 1 denominator); nil with fewer than 2 draws (Stan then keeps
    /// the previous metric).
    func variance() -> [Double]? {
        guard count > 1 else { return nil }
        let n1 = Double(count) - 1
        return m2.map { $0 / n1 }
    }

    mutating func restart() {
        count = 0
        for i in 0..<mean.count { mean[i] = 0; m2[i] = 0 }
    }
}

/// Running mean and covariance matrix by Welford's algorithm (Stan Math
/// `welford_covar_estimator.hpp`): M2 += (q - m_new)(q - m_old)', covariance = M2 / (n - 1).
struct WelfordCovarianceEstimator {
    private(set) var count = 0
    private(set) var mean: [Double]
    private var m2: [Double]   // d x d, row-major
    private var delta: [Double]

    init(dimension: Int) {
        mean = Array(repeating: 0, count: dimension)
        m2 = Array(repeating: 0, count: dimension * dimension)
        delta = Array(repeating: 0, count: dimension)
    }

    mutating func add(_ q: [Double]) {
        count += 1
        let n = Double(count)
        let d = mean.count
        for i in 0..<d {
            delta[i] = q[i] - mean[i]
            mean[i] += delta[i] / n
        }
        for i in 0..<d {
            let a = q[i] - mean[i]
            for j in 0..<d { m2[i * d + j] += a * delta[j] }
        }
    }

    /// The sample covariance (n - 1 denominator); nil with fewer than 2 draws.
    func covariance() -> Matrix? {
        guard count > 1 else { return nil }
        let n1 = Double(count) - 1
        let d = mean.count
        return Matrix(rows: d, columns: d, rowMajor: m2.map { $0 / n1 })
    }

    mutating func restart() {
        count = 0
        for i in 0..<mean.count { mean[i] = 0 }
        for i in 0..<m2.count { m2[i] = 0 }
    }
}

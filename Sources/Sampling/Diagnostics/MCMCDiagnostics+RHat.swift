extension MCMCDiagnostics {
    /// Rank-normalizes draws: each value is replaced by the normal score of its rank among all
    /// S = chains x draws values (Vehtari et al. 2021, eq. 14, Blom's offset 3/8).
    ///
    /// ```
    /// z = Phi^-1((r - 3/8) / (S - 2 * 3/8 + 1)) = Phi^-1((r - 3/8) / (S + 1/4))
    /// ```
    /// Tied values get the average of their ranks (ranks start at 1), as in Stan's
    /// `rank_transform` and R's `rank(ties.method = "average")`. The shape of the result
    /// matches the input. The input should be finite (NaN has no rank).
    public static func rankNormalized(_ draws: [[Double]]) -> [[Double]] {
        let counts = draws.map(\.count)
        var flat: [(value: Double, index: Int)] = []
        flat.reserveCapacity(counts.reduce(0, +))
        for chain in draws {
            for x in chain { flat.append((x, flat.count)) }
        }
        let size = flat.count
        flat.sort { $0.value < $1.value }
        var scores = [Double](repeating: 0, count: size)
        let denominator = Double(size) + 0.25
        var i = 0
        while i < size {
            var j = i + 1
            while j < size && flat[j].value == flat[i].value { j += 1 }
            // Ranks i+1 ... j share their average (i + 1 + j) / 2.
            let averageRank = Double(i + 1 + j) / 2
            let z = inverseNormalCDF((averageRank - 0.375) / denominator)
            for k in i..<j { scores[flat[k].index] = z }
            i = j
        }
        var result: [[Double]] = []
        result.reserveCapacity(draws.count)
        var offset = 0
        for count in counts {
            result.append(Array(scores[offset..<(offset + count)]))
            offset += count
        }
        return result
    }

    /// Bulk R-hat: the classic potential scale reduction factor of the rank-normalized split
    /// chains (Vehtari et al. 2021, section 4.1).
    ///
    /// With m split chains of n draws, chain means xbar_j and variances s_j^2 (n - 1
    /// denominators),
    /// ```
    /// B = n/(m-1) sum_j (xbar_j - xbar)^2,   W = (1/m) sum_j s_j^2
    /// R-hat = sqrt(((n-1)/n W + B/n) / W)
    /// ```
    /// NaN under the rules in `MCMCDiagnostics`.
    public static func rhatBulk(_ draws: [[Double]]) -> Double {
        guard let split = validatedSplit(draws) else { return .nan }
        return rhatBulk(split: split)
    }

    /// Tail R-hat: the same statistic on the rank-normalized folded draws |x - median(x)|, which
    /// detects chains that agree in location but differ in scale (Vehtari et al. 2021,
    /// section 4.2). The median is the type-7 quantile of all split draws.
    public static func rhatTail(_ draws: [[Double]]) -> Double {
        guard let split = validatedSplit(draws) else { return .nan }
        return rhatTail(split: split)
    }

    /// R-hat as Stan and posterior report it: max(bulk R-hat, tail R-hat) (Vehtari et al. 2021,
    /// section 4.3). Values above `ConvergenceThresholds.maximumRHat` (1.01) signal chains that
    /// have not mixed.
    public static func rhat(_ draws: [[Double]]) -> Double {
        guard let split = validatedSplit(draws) else { return .nan }
        return max(rhatBulk(split: split), rhatTail(split: split))
    }

    static func rhatBulk(split: [[Double]]) -> Double {
        potentialScaleReduction(rankNormalized(split))
    }

    static func rhatTail(split: [[Double]]) -> Double {
        let median = quantile(split.flatMap { $0 }, probability: 0.5)
        return potentialScaleReduction(rankNormalized(split.map { $0.map { abs($0 - median) } }))
    }

    /// sqrt(((n-1)/n W + B/n) / W), written as Stan does: sqrt((B/W + n - 1) / n).
    static func potentialScaleReduction(_ chains: [[Double]]) -> Double {
        let m = chains.count
        let n = chains.first?.count ?? 0
        guard m > 1, n > 1 else { return .nan }
        var means = [Double](repeating: 0, count: m)
        var within = 0.0
        for (j, chain) in chains.enumerated() {
            let stats = meanAndStandardDeviation(chain)
            means[j] = stats.mean
            within += stats.sd * stats.sd
        }
        within /= Double(m)
        let grandMean = means.reduce(0, +) / Double(m)
        let between = Double(n) / Double(m - 1) * means.reduce(0) { $0 + ($1 - grandMean) * ($1 - grandMean) }
        return ((between / within + Double(n) - 1) / Double(n)).squareRoot()
    }
}

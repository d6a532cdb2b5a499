import Foundation

/// How `lr_decay_sum` treats schedules with many change points (a cosine changes the rate at
/// every step: 70k change points over a 72k-step run).
///
/// Change points k (steps after warmup where the rate changes; runs of equal rate cost nothing)
/// are always cut at evaluation steps, so that for every evaluation step n a column lies wholly
/// before n or wholly after it (the k <= n mask stays exact). With at most `exactLimit` change
/// points every change point is its own column (exact). Otherwise consecutive change points of
/// the same sign are merged into segments whose total drop is at most (total variation) /
/// `segments` and whose area spans at most (area after warmup) / `segments`; a segment j
/// contributes w_j G(lr_j^-gamma (P(n) - P_j)) with w_j = the sum of its drops and lr_j, P_j the
/// drop-weighted means of lr(k) and of the area before k (P(k-1)). That is the midpoint rule of
/// the sum over the segment: exact where G is linear, with an error of second order in the
/// segment's spread. Measured on the 72k-step cosine schedule (mpl data) at stepRef 24000 with 550
/// evaluation points 128 steps apart (546 columns): largest absolute error 6e-7 at
/// (C, beta, gamma) = (2, 0.6, 0.6), 1.4e-5 at (50, 0.6, 0.6), 8e-7 at (0.5, 2, 1), for LD values
/// of 0.3-0.7 (test `decaySumGroupingErrorIsSmall`); the segment just before each point dominates.
public struct ChangePointGrouping: Sendable, Equatable {
    public var exactLimit: Int
    public var segments: Int

    public init(exactLimit: Int = 512, segments: Int = 256) {
        precondition(segments >= 1, "ChangePointGrouping: segments must be >= 1")
        self.exactLimit = exactLimit
        self.segments = segments
    }

    /// The default: exact up to 512 change points, otherwise about 256 segments (plus the cuts at
    /// evaluation steps).
    public static let standard = ChangePointGrouping()
    /// Every change point its own column, however many there are.
    public static let exact = ChangePointGrouping(exactLimit: .max, segments: 1)
}

/// A schedule seen at a grid of normalized times t (fit points or forecast points): the
/// covariates `lr` and `lr_area` as vectors, and the data of the schedule functionals' tape
/// operations (`AnnealArea`, `LearningRateDecaySum`). Conventions as `ScheduleCovariateProvider`
/// (the point-by-point reference): t maps to step n = max(1, round(t * stepRef)).
public struct ScheduleCovariates: Sendable {
    public let schedule: LearningRateSchedule
    public let stepRef: Double
    public let t: [Double]
    public let grouping: ChangePointGrouping
    /// The step of every evaluation point.
    public let steps: [Int]
    /// lr(t) / peak at every evaluation point.
    public let learningRate: [Double]
    /// The area under lr / peak up to t (warmup included), in units of stepRef.
    public let learningRateArea: [Double]
    /// Normalized rates for steps 0...max(steps) (held past the schedule's end).
    let normalized: [Double]
    /// prefix[n] = sum_{s=1}^{n} normalized[s] / stepRef.
    let prefix: [Double]

    /// lr(k)^-gamma is evaluated at max(lr(k), smallestRate): a decay to exactly 0 stays finite.
    public static let smallestRate = 1e-12

    /// The step of normalized time t: max(1, round(t * stepRef)).
    public static func step(t: Double, stepRef: Double) -> Int {
        precondition(t.isFinite, "ScheduleCovariates: t = \(t) is not finite")
        let s = (t * stepRef).rounded()
        return s < 1 ? 1 : Int(min(s, Double(4 * LearningRateSchedule.maximumSteps)))
    }

    /// `grouping` defaults to the schedule's `decayGrouping`.
    public init(schedule: LearningRateSchedule, stepRef: Double, t: [Double], grouping: ChangePointGrouping? = nil) {
        precondition(stepRef > 0 && stepRef.isFinite, "ScheduleCovariates: stepRef must be positive")
        self.schedule = schedule
        self.stepRef = stepRef
        self.t = t
        self.grouping = grouping ?? schedule.decayGrouping
        let steps = t.map { Self.step(t: $0, stepRef: stepRef) }
        self.steps = steps
        let last = max(steps.max() ?? 0, schedule.warmupSteps, 1)
        var normalized = [Double](repeating: 0, count: last + 1)
        var prefix = [Double](repeating: 0, count: last + 1)
        let peak = schedule.peak
        normalized[0] = schedule.rate(atStep: 0) / peak
        for s in 1...last {
            normalized[s] = schedule.rate(atStep: s) / peak
            prefix[s] = prefix[s - 1] + normalized[s] / stepRef
        }
        self.normalized = normalized
        self.prefix = prefix
        learningRate = steps.map { normalized[$0] }
        learningRateArea = steps.map { prefix[$0] }
    }

    /// The tape operation computing anneal_area(lambda) at every evaluation point.
    public func annealAreaOperation() -> AnnealArea {
        let w = schedule.warmupSteps
        let last = steps.max() ?? 0
        var increments: [Double] = []
        if last > w {
            increments.reserveCapacity(last - w)
            for s in (w + 1)...last { increments.append(normalized[s - 1] - normalized[s]) }
        }
        let order = steps.indices.sorted { steps[$0] < steps[$1] }
        return AnnealArea(stepRef: stepRef, warmupSteps: w, increments: increments, steps: steps, order: order)
    }

    /// The columns of `lr_decay_sum` (see `ChangePointGrouping`).
    struct DecayColumns {
        var weight: [Double] = []
        var rate: [Double] = []
        var areaBefore: [Double] = []
        var lastStep: [Int] = []
        var changePoints = 0
    }

    func decayColumns() -> DecayColumns {
        let w = schedule.warmupSteps
        let last = steps.max() ?? 0
        var columns = DecayColumns()
        guard last > w else { return columns }
        var variation = 0.0
        for k in (w + 1)...last {
            let d = normalized[k - 1] - normalized[k]
            if d != 0 { columns.changePoints += 1; variation += abs(d) }
        }
        let grouped = columns.changePoints > grouping.exactLimit
        let maxDrop = variation / Double(grouping.segments)
        let maxArea = (prefix[last] - prefix[w]) / Double(grouping.segments)
        let evalSteps = Array(Set(steps)).sorted()
        var next = 0  // first evaluation step >= the current segment's last change point
        var sumD = 0.0, sumAbs = 0.0, sumAbsRate = 0.0, sumAbsArea = 0.0
        var firstK = -1, lastK = -1
        func close() {
            guard firstK >= 0 else { return }
            columns.weight.append(sumD)
            columns.rate.append(sumAbsRate / sumAbs)
            columns.areaBefore.append(sumAbsArea / sumAbs)
            columns.lastStep.append(lastK)
            sumD = 0; sumAbs = 0; sumAbsRate = 0; sumAbsArea = 0; firstK = -1
        }
        for k in (w + 1)...last {
            let d = normalized[k - 1] - normalized[k]
            if d == 0 { continue }
            if firstK >= 0 {
                while next < evalSteps.count && evalSteps[next] < lastK { next += 1 }
                let cutAtEvaluation = next < evalSteps.count && evalSteps[next] < k
                let signChange = (d > 0) != (sumD > 0)
                let tooWide = grouped && (sumAbs + abs(d) > maxDrop || prefix[k - 1] - prefix[firstK - 1] > maxArea)
                if !grouped || cutAtEvaluation || signChange || tooWide { close() }
            }
            if firstK < 0 { firstK = k }
            lastK = k
            sumD += d
            sumAbs += abs(d)
            sumAbsRate += abs(d) * normalized[k]
            sumAbsArea += abs(d) * prefix[k - 1]
        }
        close()
        return columns
    }

    /// The tape operation computing lr_decay_sum(C, beta, gamma) at every evaluation point.
    public func lrDecaySumOperation() -> LearningRateDecaySum {
        let columns = decayColumns()
        let m = columns.weight.count, n = steps.count
        var areas = [Double](repeating: 0, count: n * m)
        var rowLengths = [Int](repeating: 0, count: n)
        var weightPrefix = [Double](repeating: 0, count: n)
        var cumulative = [0.0]
        for wj in columns.weight { cumulative.append(cumulative.last! + wj) }
        for e in 0..<n {
            // Columns are ordered by step: the valid ones (last change step <= n_e) are a prefix.
            var lo = 0, hi = m
            while lo < hi {
                let mid = (lo + hi) / 2
                if columns.lastStep[mid] <= steps[e] { lo = mid + 1 } else { hi = mid }
            }
            rowLengths[e] = lo
            weightPrefix[e] = cumulative[lo]
            let pn = prefix[steps[e]]
            for j in 0..<lo { areas[e * m + j] = pn - columns.areaBefore[j] }
        }
        let logRates = columns.rate.map { Foundation.log(max($0, Self.smallestRate)) }
        return LearningRateDecaySum(rows: n, columns: m, areas: areas, rowLengths: rowLengths,
                                    weights: columns.weight, logRates: logRates, weightPrefix: weightPrefix)
    }
}

extension LearningRateSchedule {
    /// The schedule's covariates and functional operations at normalized times `t`.
    public func covariates(stepRef: Double, t: [Double], grouping: ChangePointGrouping? = nil) -> ScheduleCovariates {
        ScheduleCovariates(schedule: self, stepRef: stepRef, t: t, grouping: grouping)
    }
}

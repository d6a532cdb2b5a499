import Foundation

/// A learning rate for every integer training step.
///
/// Convention (Luo et al. 2025's, also used by Models/README.md): steps are s = 0, 1, ..., total;
/// `rate(s)` is the rate used by the update of step s, step 0 is the state before training
/// (rate 0 under a linear warmup), the area under the schedule up to step n is
/// `sum_{s=1}^{n} rate(s)`, and steps past `total` keep `rate(total)` (a forecast past the planned
/// end sees the final rate held).
///
/// Declared kinds (see `ScheduleSpecification`), with W = warmup, T = total, P = peak:
/// - without warmup (W = 0) step 0 takes the formula's value at s = 0 (the peak);
/// - linear warmup: rate(s) = P s / W for 0 <= s <= W (0 at step 0, P / W at step 1, P at W);
///   constant warmup: rate(s) = warmup_lr for 0 <= s < W, P at W;
/// - constant, constant_after_warmup: P;
/// - cosine: end + (P - end) (1 + cos(pi (s - W) / (T - W))) / 2 for W <= s <= T;
/// - linear: P - (P - end) (s - W) / (T - W);
/// - wsd: P up to decay_start D, then with f = (s - D) / (T - D): exponential P (end/P)^f,
///   linear P - (P - end) f, sqrt P - (P - end) sqrt(f);
/// - two_stage: P before `switch`, `second` from `switch` on;
/// - step: P times factor^(number of milestones <= s);
/// - explicit: the listed rates (see `init(steps:rates:warmup:total:interpolation:)`).
/// These reproduce the logged `lr` column of every curve of ../shared/data/curves/mpl to ~1e-12
/// relative (tested).
public struct LearningRateSchedule: Sendable, Equatable {
    /// rate(s) for s = 0...total.
    public let rates: [Double]
    /// The normalizing rate (declared peak, or the largest rate of a list or log).
    public let peak: Double
    /// The last warmup step W: the schedule functionals (annealing area, decay sum) count changes
    /// of the rate only at steps after W.
    public let warmupSteps: Int
    /// How `lr_decay_sum` groups this schedule's change points when it is compiled
    /// (`ScheduleCovariates`'s default); `.exact` keeps every change point.
    public var decayGrouping: ChangePointGrouping = .standard

    public var total: Int { rates.count - 1 }

    /// The rate at step s (held at `rate(total)` after the last step, `rate(0)` before step 0).
    public func rate(atStep s: Int) -> Double { rates[min(max(s, 0), rates.count - 1)] }

    /// Whether the rate changes after the warmup (by more than 1e-9 relative): an annealing
    /// schedule, which only the schedule-aware laws can follow.
    public var annealsAfterWarmup: Bool {
        let held = rates[warmupSteps]
        return rates[warmupSteps...].contains { abs($0 - held) > 1e-9 * max(abs(held), peak) }
    }

    /// The largest schedule this type builds (a per-step array is kept).
    public static let maximumSteps = 50_000_000

    public init(rates: [Double], peak: Double, warmupSteps: Int) {
        precondition(!rates.isEmpty && peak > 0, "LearningRateSchedule: empty rates or non-positive peak")
        self.rates = rates
        self.peak = peak
        self.warmupSteps = min(max(warmupSteps, 0), rates.count - 1)
    }

    /// The schedule a declared specification describes.
    public init(_ spec: ScheduleSpecification) throws(ScheduleError) {
        let w = spec.warmup, total = spec.total, peak = spec.peak
        func positive(_ x: Double?, _ field: String, allowZero: Bool = false) throws(ScheduleError) -> Double {
            let v = x ?? .nan
            guard v.isFinite, allowZero ? v >= 0 : v > 0 else {
                throw .invalid(field: field, reason: "\(v) must be \(allowZero ? "zero or positive" : "positive") and finite")
            }
            return v
        }
        _ = try positive(peak, "peak")
        guard w >= 0 else { throw .invalid(field: "warmup", reason: "\(w) steps must be zero or positive") }
        if spec.kind == .explicit {
            guard let list = spec.rates, !list.isEmpty else {
                throw .invalid(field: "rates", reason: "the list is empty; give one rate per step")
            }
            let first = spec.firstStep ?? 1
            guard first >= 0 else { throw .invalid(field: "first_step", reason: "\(first) must be 0 or more") }
            let steps = (0..<list.count).map { first + $0 }
            self = try LearningRateSchedule(steps: steps, rates: list, warmup: w > 0 ? w : nil,
                                            total: max(total, first + list.count - 1), interpolation: .hold)
            self = LearningRateSchedule(rates: rates, peak: peak, warmupSteps: warmupSteps)
            return
        }
        guard total > w else { throw .invalid(field: "total", reason: "\(total) must be larger than warmup (\(w))") }
        guard total <= Self.maximumSteps else {
            throw .invalid(field: "total", reason: "\(total) steps is more than the supported \(Self.maximumSteps)")
        }
        let span = Double(total - w)
        let body: (Int) -> Double
        switch spec.kind {
        case .constant, .constantAfterWarmup:
            body = { _ in peak }
        case .cosine:
            let end = try positive(spec.end, "end", allowZero: true)
            body = { s in end + (peak - end) * 0.5 * (1 + Foundation.cos(Double.pi * Double(s - w) / span)) }
        case .linear:
            let end = try positive(spec.end, "end", allowZero: true)
            body = { s in peak - (peak - end) * Double(s - w) / span }
        case .wsd:
            let end = try positive(spec.end, "end", allowZero: true)
            guard let d = spec.decayStart, d >= w, d < total else {
                throw .invalid(field: "decay_start", reason: "\(spec.decayStart.map(String.init) ?? "missing") must lie in [warmup, total) = [\(w), \(total))")
            }
            let length = Double(total - d)
            switch spec.decayShape ?? .linear {
            case .exponential:
                guard end > 0 else { throw .invalid(field: "end", reason: "an exponential cooldown needs end > 0; use decay_shape \"linear\" to reach 0") }
                let ratio = end / peak
                body = { s in s <= d ? peak : peak * Foundation.pow(ratio, Double(s - d) / length) }
            case .linear:
                body = { s in s <= d ? peak : peak - (peak - end) * Double(s - d) / length }
            case .sqrt:
                body = { s in s <= d ? peak : peak - (peak - end) * (Double(s - d) / length).squareRoot() }
            }
        case .twoStage:
            let second = try positive(spec.second, "second", allowZero: true)
            guard let sw = spec.switchStep, sw > w, sw <= total else {
                throw .invalid(field: "switch", reason: "\(spec.switchStep.map(String.init) ?? "missing") must lie in (warmup, total] = (\(w), \(total)]")
            }
            body = { s in s < sw ? peak : second }
        case .step:
            let factor = try positive(spec.factor, "factor", allowZero: true)
            let milestones = (spec.milestones ?? []).sorted()
            if let bad = milestones.first(where: { $0 <= w || $0 > total }) {
                throw .invalid(field: "milestones", reason: "\(bad) must lie in (warmup, total] = (\(w), \(total)]")
            }
            body = { s in
                var r = peak
                for m in milestones where m <= s { r *= factor }
                return r
            }
        case .explicit:
            fatalError("handled above")
        }
        var rates = [Double](repeating: 0, count: total + 1)
        if w > 0 {
            switch spec.warmupShape {
            case .linear:
                for s in 0...w { rates[s] = peak * Double(s) / Double(w) }
            case .constant:
                let r = try positive(spec.warmupRate, "warmup_lr")
                for s in 0..<w { rates[s] = r }
            }
        }
        for s in w...total { rates[s] = body(s) }
        self.init(rates: rates, peak: peak, warmupSteps: w)
    }

    /// How a logged learning-rate column is filled in between logged steps.
    public enum Interpolation: String, Sendable, CaseIterable {
        /// Linear between neighbouring logged steps (smooth schedules logged every k steps).
        case linear
        /// The last logged value holds until the next logged step (step schedules, explicit lists).
        case hold
    }

    /// A schedule from an observed learning-rate column (or an explicit list with steps).
    ///
    /// - Between logged steps the rate is interpolated (`interpolation`); after the last logged
    ///   step it is held up to `total` (default: the last logged step).
    /// - Before the first logged step: with a declared `warmup` W >= 1 the rate ramps linearly from
    ///   0 at step 0 to rate(W) at W (rate(W) is the logged/interpolated value at W, or the first
    ///   logged value when W comes before the first logged step), and holds the first logged value
    ///   between W and the first logged step. Without a warmup the first logged value is held
    ///   back to step 0.
    /// - The peak (normalizer) is the largest rate; the warmup for the schedule functionals is W
    ///   when given, otherwise the first step where the rate reaches its peak.
    public init(steps: [Int], rates values: [Double], warmup: Int? = nil, total: Int? = nil,
                interpolation: Interpolation = .linear) throws(ScheduleError) {
        guard steps.count == values.count else {
            throw .observed("\(steps.count) steps but \(values.count) learning rates")
        }
        guard !steps.isEmpty else { throw .observed("no learning rates were logged") }
        for i in steps.indices {
            guard values[i].isFinite, values[i] >= 0 else {
                throw .observed("the learning rate \(values[i]) at step \(steps[i]) is not a finite number >= 0; fix or drop that row")
            }
            guard steps[i] >= 0 else { throw .observed("step \(steps[i]) is negative") }
            if i > 0, steps[i] <= steps[i - 1] {
                throw .observed("step \(steps[i]) does not come after step \(steps[i - 1]); sort the log and drop repeated steps")
            }
        }
        let last = max(total ?? steps[steps.count - 1], steps[steps.count - 1])
        guard last <= Self.maximumSteps else {
            throw .observed("the last step \(last) is more than the supported \(Self.maximumSteps)")
        }
        if let w = warmup, w < 0 || w > last { throw .invalid(field: "warmup", reason: "\(w) must lie in [0, \(last)]") }
        var rates = [Double](repeating: values[0], count: last + 1)
        for i in steps.indices {
            let s0 = steps[i]
            let s1 = i + 1 < steps.count ? steps[i + 1] : last + 1
            rates[s0] = values[i]
            if s1 > s0 + 1 {
                for s in (s0 + 1)..<s1 {
                    if interpolation == .linear, i + 1 < steps.count {
                        let f = Double(s - s0) / Double(s1 - s0)
                        rates[s] = values[i] + (values[i + 1] - values[i]) * f
                    } else {
                        rates[s] = values[i]
                    }
                }
            }
        }
        if let w = warmup, w >= 1 {
            let target = rates[w]
            for s in 0...w { rates[s] = target * Double(s) / Double(w) }
        }
        guard let peak = rates.max(), peak > 0 else { throw .observed("every learning rate is 0") }
        let warmupSteps = warmup ?? rates.firstIndex(of: peak)!
        self.init(rates: rates, peak: peak, warmupSteps: warmupSteps)
    }

    /// The schedule of a JSON schedule object (the manifest's `schedule`).
    public init(json: String) throws(ScheduleError) {
        try self.init(ScheduleSpecification.parse(json: json))
    }
}

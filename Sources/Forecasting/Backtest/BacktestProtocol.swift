/// The cut and horizon selection of the back-test protocol (shared/data/README.md).
///
/// For a curve with logged steps s_1 < ... < s_n and a horizon ratio h, the cut c is the largest
/// logged step with s_n / c >= h; the model sees the points with step <= c and forecasts every
/// logged step in (c, h c].
public enum BacktestProtocol {
    /// The horizon ratios of the protocol.
    public static let horizons: [Double] = [3, 10, 30, 100]

    /// The fewest fit points for a curve to be scored at a horizon. Five is the smallest count
    /// that leaves two residual degrees of freedom to the three-parameter power law
    /// (E, A, alpha), so its residual variance s^2 = SSE / (n - 3) is defined and not a single
    /// squared residual; with fewer points any forecaster is guessing.
    public static let minimumFitPoints = 5

    /// Where a curve is cut and which of its logged points are fitted and scored.
    public struct Split: Sendable, Equatable, Codable {
        public var horizon: Double
        /// The cut step c.
        public var cut: Double
        /// The points with index < fitCount (steps <= c) are fitted.
        public var fitCount: Int
        /// Indices of the scored points (steps in (c, h c]); starts at fitCount.
        public var scored: Range<Int>

        /// The last scored step is at index scored.upperBound - 1.
        public var scoredCount: Int { scored.count }
    }

    /// Why a curve is not scored at a horizon.
    public enum SkipReason: Error, Sendable, Equatable, CustomStringConvertible {
        /// No logged step c has last_step / c >= h (the curve spans less than h).
        case tooShort(firstStep: Double, lastStep: Double, horizon: Double)
        /// Fewer than `minimumFitPoints` points are <= c.
        case tooFewFitPoints(count: Int, minimum: Int)
        /// No logged step lies in (c, h c].
        case nothingToScore(cut: Double)

        public var description: String {
            switch self {
            case .tooShort(let a, let b, let h):
                return "the curve spans steps \(a)...\(b), a ratio below the horizon \(h)"
            case .tooFewFitPoints(let n, let m):
                return "only \(n) points up to the cut, fewer than the \(m) required"
            case .nothingToScore(let c):
                return "no logged step after the cut \(c) within the horizon"
            }
        }
    }

    /// The protocol's split, or nil when the curve is skipped at this horizon (see `selection`
    /// for the reason).
    public static func split(steps: [Double], horizon: Double,
                             minimumFitPoints: Int = minimumFitPoints) -> Split? {
        try? selection(steps: steps, horizon: horizon, minimumFitPoints: minimumFitPoints).get()
    }

    /// The protocol's split, or why the curve is skipped. `steps` must be strictly increasing
    /// and positive.
    ///
    /// last_step / c is compared as a quotient, exactly as the README states it: for integer
    /// steps below 2^53 the quotient is correctly rounded, so a ratio of exactly h compares
    /// equal (83475 / 27825 = 3 exactly), and the scored bound h c is exact for integer h.
    public static func selection(steps: [Double], horizon: Double,
                                 minimumFitPoints: Int = minimumFitPoints) -> Result<Split, SkipReason> {
        precondition(horizon > 1, "BacktestProtocol: horizon ratio \(horizon) must exceed 1")
        precondition(!steps.isEmpty, "BacktestProtocol: no steps")
        for i in steps.indices.dropFirst() {
            precondition(steps[i] > steps[i - 1], "BacktestProtocol: steps are not strictly increasing at index \(i)")
        }
        precondition(steps[0] > 0, "BacktestProtocol: the first step \(steps[0]) is not positive")
        let last = steps[steps.count - 1]
        // last / c decreases in c, so the qualifying steps form a prefix; take its end.
        guard let cutIndex = steps.lastIndex(where: { last / $0 >= horizon }) else {
            return .failure(.tooShort(firstStep: steps[0], lastStep: last, horizon: horizon))
        }
        let cut = steps[cutIndex]
        let fitCount = cutIndex + 1
        guard fitCount >= minimumFitPoints else {
            return .failure(.tooFewFitPoints(count: fitCount, minimum: minimumFitPoints))
        }
        let bound = horizon * cut
        var end = fitCount
        while end < steps.count && steps[end] <= bound { end += 1 }
        guard end > fitCount else { return .failure(.nothingToScore(cut: cut)) }
        return .success(Split(horizon: horizon, cut: cut, fitCount: fitCount, scored: fitCount..<end))
    }
}

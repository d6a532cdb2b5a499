import Foundation

/// Where the replay evaluates the predictive rule in a run: on a geometric grid of steps.
///
/// The first checkpoint is the point at which the run has `minimumPoints` points after
/// `warmupSteps` (before it the rule's own guard answers continue); each next one is the last
/// logged point at or before `growth` times the previous checkpoint's step (or the next point if
/// that is the same one). The run's last point is not a checkpoint: there the run has finished.
///
/// A geometric grid keeps the number of fits per run logarithmic in its length (a fit is the
/// expensive part of a decision), while a run is still looked at soon after it starts, when most
/// of the compute can be saved. (A stop vote is confirmed at the next logged point, not the next
/// checkpoint: `PredictiveReplayRule`.)
public struct ReplayCheckpoints: Sendable, Equatable {
    /// The default growth between checkpoints.
    public static let defaultGrowth = 1.3

    public var minimumPoints: Int
    public var warmupSteps: Double
    public var growth: Double

    public init(minimumPoints: Int = 10, warmupSteps: Double = 0, growth: Double = ReplayCheckpoints.defaultGrowth) {
        self.minimumPoints = minimumPoints
        self.warmupSteps = warmupSteps
        self.growth = growth
    }

    /// Indices into `steps` of the checkpoints, increasing.
    public func indices(steps: [Double]) -> [Int] {
        var counted = 0
        var first: Int?
        for (i, s) in steps.enumerated() where s > warmupSteps {
            counted += 1
            if counted >= max(minimumPoints, 1) { first = i; break }
        }
        guard var i = first, i < steps.count - 1 else { return [] }
        var result = [i]
        while true {
            let limit = steps[i] * max(growth, 1)
            var next = i + 1
            while next + 1 < steps.count, steps[next + 1] <= limit { next += 1 }
            guard next < steps.count - 1 else { break }
            result.append(next)
            i = next
        }
        return result
    }
}

import CurveModels
import Foundation
import Sampling

/// Runs the back-test protocol of ../shared/data/README.md: for every curve and horizon ratio
/// h, fit the points up to the cut c (the largest logged step with last / c >= h), forecast
/// every logged step in (c, h c], and score coverage, CRPS, log predictive density and the
/// error of the median at the last scored step. The least-squares power law with a
/// delta-method band (`PowerLawLeastSquares`) is scored on the same splits as the baseline.
public struct BacktestRunner: Sendable {
    public var horizons: [Double] = BacktestProtocol.horizons
    public var request = ForecastRequest()
    public var library: ModelLibrary
    public var priors: [String: PriorSet]
    /// Whether the least-squares baseline is scored too.
    public var scoresBaseline = true

    public init(library: ModelLibrary, priors: [String: PriorSet]) {
        self.library = library
        self.priors = priors
    }

    /// Progress: (finished, total, id and horizon of the split just finished).
    public typealias Progress = @Sendable (Int, Int, String, Double) -> Void

    public struct Outcome: Sendable {
        public let report: BacktestReport
        public let baseline: BacktestReport
        public let seconds: Double
    }

    /// Runs every (curve, horizon) split. Splits are independent, so they run concurrently
    /// (`DispatchQueue.concurrentPerform`, one worker per core; each fit's chains run inside its
    /// worker), and the results are gathered in corpus order, so the report does not depend on
    /// scheduling. Progress is called with (0, total) first, then once per finished split, one call
    /// at a time (under a lock), so the callback need not be thread-safe.
    public func run(_ corpus: BacktestCorpus, progress: Progress? = nil) -> Outcome {
        let start = DispatchTime.now().uptimeNanoseconds
        let jobs = corpus.curves.flatMap { curve in horizons.map { (curve: curve, horizon: $0) } }
        let results = Results(count: jobs.count)
        progress?(0, jobs.count, "", 0)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
            let (curve, h) = jobs[j]
            var baseline: Result<CurveScore, SkippedCurve>?
            if scoresBaseline {
                baseline = PowerLawLeastSquares.backtest(curveID: curve.id, group: curve.group, steps: curve.steps,
                                                         values: curve.values, horizon: h)
            }
            results.store(j, ours: score(curve, horizon: h), baseline: baseline) { done in
                progress?(done, jobs.count, curve.id, h)
            }
        }
        var scores: [CurveScore] = [], skipped: [SkippedCurve] = []
        var baselineScores: [CurveScore] = [], baselineSkipped: [SkippedCurve] = []
        for (ours, baseline) in results.all {
            switch ours {
            case .success(let s): scores.append(s)
            case .failure(let s): skipped.append(s)
            case nil: break
            }
            switch baseline {
            case .success(let s): baselineScores.append(s)
            case .failure(let s): baselineSkipped.append(s)
            case nil: break
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let label = "curvecast (\(request.modelName ?? "auto"))"
        return Outcome(report: BacktestReport(forecaster: label, curves: scores, skipped: skipped),
                       baseline: BacktestReport(forecaster: "least-squares power law, delta-method band",
                                                curves: baselineScores, skipped: baselineSkipped),
                       seconds: seconds)
    }

    /// The per-split results of a concurrent run, in job order.
    private final class Results: @unchecked Sendable {
        typealias Entry = (ours: Result<CurveScore, SkippedCurve>?, baseline: Result<CurveScore, SkippedCurve>?)
        private let lock = NSLock()
        private var entries: [Entry]
        private var finished = 0

        init(count: Int) { entries = Array(repeating: (nil, nil), count: count) }

        /// Stores job j's results and reports the number of finished jobs (under the lock).
        func store(_ j: Int, ours: Result<CurveScore, SkippedCurve>, baseline: Result<CurveScore, SkippedCurve>?,
                   report: (Int) -> Void) {
            lock.lock(); defer { lock.unlock() }
            entries[j] = (ours, baseline)
            finished += 1
            report(finished)
        }

        var all: [Entry] { lock.lock(); defer { lock.unlock() }; return entries }
    }

    /// One curve at one horizon.
    public func score(_ curve: BacktestCorpus.Curve, horizon h: Double) -> Result<CurveScore, SkippedCurve> {
        let split: BacktestProtocol.Split
        switch BacktestProtocol.selection(steps: curve.steps, horizon: h) {
        case .success(let s): split = s
        case .failure(let reason):
            return .failure(SkippedCurve(curveID: curve.id, group: curve.group, horizon: h, reason: reason.description))
        }
        var request = self.request
        request.fitUntil = split.cut
        request.horizonRatio = h
        do {
            let result = try Forecaster.fit(steps: Array(curve.steps[..<split.fitCount]),
                                            values: Array(curve.values[..<split.fitCount]),
                                            request: request, library: library, priors: priors)
            let steps = split.scored.map { curve.steps[$0] }
            let predictive = try result.predictive(at: steps)
            let points = split.scored.enumerated().map { j, i in
                PointScore(step: curve.steps[i], observed: curve.values[i],
                           sample: PredictiveSample(draws: predictive.values[j]), kernelScale: .log)
            }
            return .success(CurveScore(curveID: curve.id, group: curve.group, horizon: h, cut: split.cut,
                                       fitPointCount: split.fitCount, points: points))
        } catch {
            return .failure(SkippedCurve(curveID: curve.id, group: curve.group, horizon: h, reason: "\(error)"))
        }
    }
}

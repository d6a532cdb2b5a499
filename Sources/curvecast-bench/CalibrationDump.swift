import CurveModels
import Forecasting
import Foundation
import TestSupport

/// `curvecast-bench calibration-dump DIR`: for every back-test split, the raw (uncalibrated)
/// predictive draws of the main fit at the scored steps and of inner leave-future-out fits at
/// several inner ratios, written as one JSON file per split, so that discrepancy models can be
/// compared offline without refitting. A study tool, not part of the product path.
enum CalibrationDump {
    static let drawsKept = 400

    struct InnerFit: Codable {
        var ratio: Double
        var cut: Double
        var steps: [Double]
        var observed: [Double]
        /// draws[j][k], subsampled.
        var draws: [[Double]]
    }

    struct Record: Codable {
        var curve: String
        var group: String
        var horizon: Double
        var cut: Double
        var steps: [Double]
        var observed: [Double]
        var draws: [[Double]]
        var inner: [InnerFit]
        var seconds: Double
    }

    static func subsample(_ values: [[Double]]) -> [[Double]] {
        values.map { d in
            let n = d.count
            return n <= drawsKept ? d : (0..<drawsKept).map { d[$0 * n / drawsKept] }
        }
    }

    /// `model`: the model to fit (`auto` when nil); `sqrtOnly`: one inner fit per split, at the ratio
    /// the calibration uses (max(2, sqrt(h))), instead of the ratios 2, 4, 8 and sqrt(h).
    static func run(directory: String, horizons: [Double], only: String?, model: String? = nil, sqrtOnly: Bool = false) -> Bool {
        do {
            let library = try ModelLibrary.load(directory: RepositoryPaths.root.appendingPathComponent("Models"))
            let priors = try PriorSet.loadDefaults(directory: RepositoryPaths.root.appendingPathComponent("Priors"), for: library)
            let corpus = try BacktestCorpus(directory: RepositoryPaths.sharedData) { id, kind in
                BacktestCorpus.nonDecayingSchedules.contains(kind) && (only.map { id.contains($0) } ?? true)
            }
            let out = URL(fileURLWithPath: directory)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            var jobs: [(BacktestCorpus.Curve, Double, BacktestProtocol.Split)] = []
            for curve in corpus.curves {
                for h in horizons {
                    if case .success(let s) = BacktestProtocol.selection(steps: curve.steps, horizon: h) { jobs.append((curve, h, s)) }
                }
            }
            let counter = Counter()
            let jobList = jobs
            DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
                let (curve, h, split) = jobList[j]
                let start = Date()
                var request = ForecastRequest()
                request.calibrate = false
                if let model { request.modelName = model }
                request.fitUntil = split.cut
                let fitSteps = Array(curve.steps[..<split.fitCount]), fitValues = Array(curve.values[..<split.fitCount])
                guard let result = try? Forecaster.fit(steps: fitSteps, values: fitValues, request: request,
                                                       library: library, priors: priors),
                      let p = try? result.predictive(at: split.scored.map { curve.steps[$0] }) else { return }
                var inner: [InnerFit] = []
                var ratios = sqrtOnly ? [max(2, h.squareRoot())] : [2, 4, 8, h.squareRoot()].filter { $0 >= 2 }
                ratios = Array(Set(ratios.map { ($0 * 100).rounded() / 100 })).sorted()
                for r in ratios {
                    guard let s = BacktestProtocol.split(steps: fitSteps, horizon: r), s.scoredCount >= 3 else { continue }
                    var ir = request
                    ir.fitUntil = s.cut
                    ir.settings = LeaveFutureOutCalibration.innerSettings(request.settings)
                    guard let f = try? Forecaster.fit(steps: Array(fitSteps[..<s.fitCount]), values: Array(fitValues[..<s.fitCount]),
                                                      request: ir, library: library, priors: priors),
                          let ip = try? f.predictive(at: s.scored.map { fitSteps[$0] }) else { continue }
                    inner.append(InnerFit(ratio: r, cut: s.cut, steps: s.scored.map { fitSteps[$0] },
                                          observed: s.scored.map { fitValues[$0] }, draws: subsample(ip.values)))
                }
                let record = Record(curve: curve.id, group: curve.group, horizon: h, cut: split.cut,
                                    steps: split.scored.map { curve.steps[$0] }, observed: split.scored.map { curve.values[$0] },
                                    draws: subsample(p.values), inner: inner, seconds: Date().timeIntervalSince(start))
                let name = curve.id.replacingOccurrences(of: "/", with: "__") + "_\(Int(h))x.json"
                try? JSONEncoder().encode(record).write(to: out.appendingPathComponent(name))
                let n = counter.increment()
                FileHandle.standardError.write(Data("[\(n)/\(jobList.count)] \(curve.id) \(Int(h))x \(String(format: "%.1f", record.seconds)) s\n".utf8))
            }
            return true
        } catch {
            print("calibration-dump: \(error)")
            return false
        }
    }
}

/// A thread-safe counter for progress lines.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

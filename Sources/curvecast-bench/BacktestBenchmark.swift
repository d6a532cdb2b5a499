import CurveModels
import Forecasting
import Foundation
import TestSupport

/// `curvecast-bench backtest`: the back-test of issue 4 on ../shared/data (the curves whose LR
/// does not decay after the cut), ours next to the least-squares baseline, with timing.
enum BacktestBenchmark {
    static func run(model: String?, horizons: [Double], only: String?) -> Bool {
        do {
            let library = try ModelLibrary.load(directory: RepositoryPaths.root.appendingPathComponent("Models"))
            let priors = try PriorSet.loadDefaults(directory: RepositoryPaths.root.appendingPathComponent("Priors"), for: library)
            let corpus = try BacktestCorpus(directory: RepositoryPaths.sharedData) { id, kind in
                BacktestCorpus.nonDecayingSchedules.contains(kind) && (only.map { id.contains($0) } ?? true)
            }
            var runner = BacktestRunner(library: library, priors: priors)
            runner.horizons = horizons
            runner.request.modelName = model
            let outcome = runner.run(corpus) { done, total, id, h in
                FileHandle.standardError.write(Data("\r[\(done)/\(total)] done, last \(id) \(Int(h))x          ".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            print(outcome.baseline.table())
            print(outcome.report.table())
            print("SUMMARY backtest: \(corpus.curves.count) curves, \(format(outcome.seconds, 1)) s")
            return true
        } catch {
            print("backtest: \(error)")
            return false
        }
    }
}

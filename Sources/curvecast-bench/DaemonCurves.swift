import Foundation
import RunLogs
import TestSupport

/// The real curves the daemon benchmarks feed to runs: the 11 Gemstones validation-loss curves
/// with a constant LR (`../shared/data/curves/gemstones/constant`, 175 points each, every 477
/// steps to 83,475).
struct DaemonCurves {
    struct Curve {
        var name: String
        var steps: [Double]
        var losses: [Double]
    }

    var curves: [Curve]

    /// Reads the curves with the RunLogs CSV reader.
    init() throws {
        let folder = RepositoryPaths.sharedFile("curves/gemstones/constant")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }.sorted()
        curves = try names.map { name in
            let log = try CSVLogReader().read(folder.appendingPathComponent(name))
            guard let series = log[metric: "loss"] else { throw CocoaError(.fileReadCorruptFile) }
            return Curve(name: name, steps: series.steps, losses: series.values)
        }
    }

    /// The curve run `index` follows (the curves in turn), with its losses scaled by a factor
    /// that differs per run (0.97 to 1.03), so that runs sharing a curve are not identical.
    func curve(forRun index: Int) -> Curve {
        var curve = curves[index % curves.count]
        let factor = 0.97 + 0.06 * Double((index * 37) % 101) / 100
        curve.losses = curve.losses.map { $0 * factor }
        return curve
    }

    /// The CSV lines of points `range` of `curve` (`step,loss`).
    static func lines(_ curve: Curve, _ range: Range<Int>) -> String {
        range.map { "\(Int(curve.steps[$0])),\(curve.losses[$0])\n" }.joined()
    }
}

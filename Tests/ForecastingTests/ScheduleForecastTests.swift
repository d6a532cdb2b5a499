import CurveModels
import Forecasting
import Foundation
import Testing
import TestSupport

/// Joint fits across schedules: the manifest's schedules, a forecast of a run that was not fitted,
/// and where the discrepancy terms apply.
struct ScheduleForecastTests {
    static let library = try! ModelLibrary.load(directory: RepositoryPaths.root.appendingPathComponent("Models"))
    static let priors = try! PriorSet.loadDefaults(directory: RepositoryPaths.root.appendingPathComponent("Priors"), for: library)
    static let manifest = try! CurveManifest(contentsOf: RepositoryPaths.sharedFile("MANIFEST.json"))

    @Test func theSharedManifestGivesEveryCurveItsSchedule() throws {
        #expect(Self.manifest.entries.count == 43)
        let mpl = Self.manifest.entries.filter { $0.id.hasPrefix("mpl/") }
        #expect(mpl.count == 18 && mpl.allSatisfy { $0.schedule?.warmup == 2160 && $0.direction == "minimize" })
        #expect(Self.manifest.entries.filter { $0.id.hasPrefix("zsl/") }.allSatisfy { $0.schedule == nil })
        #expect(Self.manifest.entries.filter { $0.id.hasPrefix("gemstones/") }.allSatisfy { $0.schedule?.kind == .constantAfterWarmup })
        // Found by the curve's path, however it is spelled.
        let url = RepositoryPaths.sharedData.appendingPathComponent("curves/mpl/../mpl/25M/wsd_20000_24000.csv")
        let entry = try #require(Self.manifest.entry(for: url))
        #expect(entry.id == "mpl/25M/wsd_20000_24000" && entry.schedule?.decayShape == .exponential)
        let run = try entry.trainingRun(fitUntil: 10_000)
        #expect(run.steps.count == 170 && run.fitted.steps.last! <= 10_000 && run.schedule?.total == 24_000)
    }

    /// Two two-stage runs predict a third (not fitted) within 2% at every logged step, and the
    /// forecast of a run that was not fitted is wider than the same forecast of a fitted run.
    @Test func aJointFitForecastsAnotherSchedule() throws {
        let runs = try ["wsdcon_3", "wsdcon_18"].map { try #require(Self.manifest.entry(id: "mpl/25M/\($0)")).trainingRun() }
        let target = try #require(Self.manifest.entry(id: "mpl/25M/wsdcon_9")).trainingRun()
        var request = ForecastRequest()
        request.settings.chains = 2
        request.settings.warmup = 200
        request.settings.samples = 150
        request.calibrate = false
        let result = try Forecaster.fit(runs: runs, request: request, library: Self.library, priors: Self.priors)
        #expect(result.components.map { $0.fit.posterior.model.name } == ["multi_power"])
        #expect(result.fitUntil == 14144 && result.components[0].fit.posterior.runs.count == 2)
        var forecast = result.forecasting(ForecastTarget(schedule: target.schedule, fittedRun: nil))
        let p = try forecast.predictive(at: target.steps)
        for (j, truth) in target.values.enumerated() {
            let median = p.values[j].sorted()[p.drawCount / 2]
            #expect(abs(median / truth - 1) < 0.02, "step \(target.steps[j]): \(median) vs \(truth)")
        }
        // The between-run discrepancy widens a run that was not fitted, not a fitted one.
        forecast.runDiscrepancy = 0.01
        let wide = try forecast.predictive(at: [12_000])
        var fitted = result.forecasting(ForecastTarget(schedule: nil, fittedRun: 0))
        fitted.runDiscrepancy = 0.01
        let inside = try fitted.predictive(at: [12_000])
        fitted.runDiscrepancy = 0
        let plain = try fitted.predictive(at: [12_000])
        func spread(_ d: PredictiveDraws) -> Double { d.logSummary(at: 0)!.variance.squareRoot() }
        #expect(spread(wide) > 0.008 && abs(spread(inside) - spread(plain)) < 1e-12)
    }
}

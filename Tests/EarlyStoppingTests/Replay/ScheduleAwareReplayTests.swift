import CurveModels
import Forecasting
import Foundation
import Testing
import TestSupport
@testable import EarlyStopping

/// The replay forecasts each run under its planned schedule, so a run whose anneal is still to
/// come is not stopped for the loss it shows before it.
///
/// A synthetic population like mpl/25M's 24k-step runs: Luo et al. (2025)'s multi-power law with
/// their fitted 25M parameters, under a constant, a cosine and a WSD schedule (warmup 2160, peak
/// 3e-4, cooldown from step 20,000 to 3e-5), logged every 960 steps to 23,904. Before its cooldown
/// the WSD run is the constant run (3.260 at step 19,680), above the cosine run's final 3.207; it
/// ends best, at 3.159.
struct ScheduleAwareReplayTests {
    static let library = try! ModelLibrary.load(directory: RepositoryPaths.root.appendingPathComponent("Models"))
    static let priors = try! PriorSet.loadDefaults(directory: RepositoryPaths.root.appendingPathComponent("Priors"), for: library)

    static func schedule(_ json: String) -> LearningRateSchedule {
        try! LearningRateSchedule(ScheduleSpecification.parseDeclared(json: Data(json.utf8))!)
    }

    static let schedules = [
        "constant": schedule(#"{"kind": "constant", "warmup": 2160, "total": 24000, "peak": 3e-4}"#),
        "cosine": schedule(#"{"kind": "cosine", "warmup": 2160, "total": 24000, "peak": 3e-4, "end": 3e-5}"#),
        "wsd": schedule(#"{"kind": "wsd", "warmup": 2160, "total": 24000, "decay_start": 20000, "peak": 3e-4, "end": 3e-5, "decay_shape": "exponential"}"#),
    ]

    /// L(t) = L0 + A S1(t)^-alpha - B sum_{k > W, k <= t} (lr_{k-1} - lr_k) G(lr_k^-gamma S_k(t)),
    /// G(x) = 1 - (C x + 1)^-beta, S1 the area up to t (warmup included), S_k the area from k to t;
    /// Luo et al.'s 25M fit, raw units. A pseudo-noise of 0.1% keeps the noise scale off zero.
    static func loss(_ schedule: LearningRateSchedule, steps: [Int], wiggle: Double) -> [Double] {
        let (l0, a, alpha, b, c, beta, gamma) = (3.0405, 0.5247, 0.5079, 363.79, 2.0656, 0.5828, 0.6414)
        let rates = schedule.rates
        var area = [0.0]  // area[n] = sum_{s=1}^{n} rate(s)
        for s in 1..<rates.count { area.append(area[s - 1] + rates[s]) }
        return steps.enumerated().map { i, t in
            var decay = 0.0
            for k in (schedule.warmupSteps + 1)..<(t + 1) where rates[k - 1] != rates[k] {
                let sk = area[t] - area[k - 1]
                decay += (rates[k - 1] - rates[k]) * (1 - pow(c * pow(rates[k], -gamma) * sk + 1, -beta))
            }
            let mean = l0 + a * pow(area[t], -alpha) - b * decay
            return mean * exp(0.001 * sin(Double(i) * wiggle))
        }
    }

    static func population() throws -> ReplayPopulation {
        let steps = Array(stride(from: 2400, through: 23_000, by: 960)) + [23_904]
        let names = ["constant", "cosine", "wsd"]
        return try ReplayPopulation(name: "synthetic 25M", runs: names.enumerated().map { k, name in
            (name, steps.map(Double.init), loss(schedules[name]!, steps: steps, wiggle: 1.3 + Double(k)))
        }, schedules: schedules)
    }

    /// Cheap sampler settings: 2 chains x (100 + 100), no calibration.
    static func forecaster(model: String? = nil) -> BayesianReplayForecaster {
        var request = ForecastRequest(modelName: model)
        request.settings.chains = 2
        request.settings.warmup = 100
        request.settings.samples = 100
        request.calibrate = false
        return BayesianReplayForecaster(request: request, library: library, priors: priors)
    }

    @Test func thePopulationIsTheTrap() throws {
        let p = try Self.population()
        #expect(p.horizon == 23_904 && p.runs.map(\.id) == ["constant", "cosine", "wsd"] && p.bestRunIndex == 2)
        let wsd = p.runs[2], cosine = p.runs[1]
        let beforeCooldown = try #require(wsd.steps.lastIndex { $0 <= 20_000 })
        #expect(wsd.values[beforeCooldown] > cosine.finalValue + 0.03 && wsd.finalValue < cosine.finalValue - 0.04)
        // The model is chosen per run from its schedule, as `forecast` does.
        let f = Self.forecaster()
        #expect(p.runs.map { f.modelNames(schedule: $0.schedule) } == [["broken_power_law"], ["multi_power"], ["multi_power"]])
        // Only schedule-aware fits are keyed by the schedule: the constant run's cached fits stay valid.
        #expect(!f.settingsDescription(for: p.runs[0]).contains("schedule"))
        #expect(f.settingsDescription(for: p.runs[1]) != f.settingsDescription(for: p.runs[2]))
    }

    /// Cached fits are keyed by the priors' contents: reloaded priors give the same key, an
    /// edited prior of a fitted model a new one, an edited prior of a model not fitted none.
    @Test func cacheKeysFollowThePriors() throws {
        let p = try Self.population()
        let f = Self.forecaster()
        let reloaded = try PriorSet.loadDefaults(directory: RepositoryPaths.root.appendingPathComponent("Priors"), for: Self.library)
        let same = BayesianReplayForecaster(request: f.request, library: Self.library, priors: reloaded)
        #expect(same.settingsDescription(for: p.runs[0]) == f.settingsDescription(for: p.runs[0]))
        var edited = Self.priors
        edited["broken_power_law"]?.parameters["alpha1"] = .lognormal(mu: -0.5, sigma: 0.8)
        let changed = BayesianReplayForecaster(request: f.request, library: Self.library, priors: edited)
        #expect(changed.settingsDescription(for: p.runs[0]) != f.settingsDescription(for: p.runs[0]))
        #expect(changed.settingsDescription(for: p.runs[1]) == f.settingsDescription(for: p.runs[1]))
    }

    /// The cosine run finishes first (the incumbent, 3.207); the WSD run then arrives. Forecast
    /// under its schedule, its cooldown is seen coming and it finishes: no regret.
    @Test func theAnnealedRunThatEndsBestIsNotStopped() throws {
        let p = try Self.population()
        let rule = PredictiveStoppingRule(threshold: 0.05)
        let table = ReplayForecastTable(p, checkpoints: ReplayCheckpoints(), forecaster: Self.forecaster())
        let o = ReplaySimulator.simulate(PredictiveReplayRule(rule: rule, table: table), population: p, order: [1, 2])
        #expect(o.stoppedRuns == 0 && o.regret == 0 && o.computeFraction == 1)
        // It finished because its forecasts give it a chance, not because the fits failed: at
        // every checkpoint P(final beats the cosine run) is above the threshold.
        #expect(table.checkpoints[2].count == 4)
        for i in table.checkpoints[2] {
            let forecast = try #require(table.forecast(run: 2, index: i))
            let chance = try #require(PredictiveStoppingRule.probability(of: forecast.draws, beating: p.runs[1].finalValue,
                                                                          direction: .minimize))
            let median = forecast.draws.sorted()[forecast.draws.count / 2]
            #expect(chance > rule.threshold, "step \(p.runs[2].steps[i]): P = \(chance), median \(median)")
        }
    }

    /// The schedule-free law, fitted to the same WSD run before its cooldown (to step 18,000, a
    /// checkpoint), would vote to stop it: its forecast gives it no chance against the cosine run.
    @Test func aScheduleFreeForecastWouldStopIt() throws {
        let p = try Self.population()
        let wsd = p.runs[2]
        let n = try #require(wsd.steps.lastIndex { $0 <= 18_000 }) + 1
        let forecast = try #require(Self.forecaster(model: "broken_power_law").forecast(
            steps: Array(wsd.steps[..<n]), values: Array(wsd.values[..<n]), schedule: wsd.schedule, horizon: p.horizon))
        let chance = try #require(PredictiveStoppingRule.probability(of: forecast.draws, beating: p.runs[1].finalValue,
                                                                      direction: .minimize))
        #expect(chance < 0.05, "P = \(chance)")
    }
}

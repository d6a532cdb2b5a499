import CurveModels
import Forecasting
import Foundation
import Sampling
import Testing
import TestSupport

/// A refit warm-started from a previous fit (`FitSettings.warmStarts`): it must reuse the
/// adaptation, cost far less than a cold fit, and find the same posterior.
struct FitWarmStartTests {
    static let library = ForecasterTests.library
    static let priors = ForecasterTests.priors

    static func request(_ settings: FitSettings) -> ForecastRequest {
        var request = ForecastRequest(modelName: "power_law")
        request.settings = settings
        request.calibrate = false
        return request
    }

    @Test func warmRefitReusesTheAdaptationAndAgreesWithAColdFit() throws {
        let curve = ForecasterTests.curve(60)
        var settings = FitSettings()
        settings.chains = 1
        settings.warmup = 200
        settings.samples = 600
        settings.seed = 3
        let first = try Forecaster.fit(steps: Array(curve.steps.prefix(50)), values: Array(curve.values.prefix(50)),
                                       request: Self.request(settings), library: Self.library, priors: Self.priors)
        let warm = try #require(first.warmStarts["power_law"])
        #expect(warm.mode.count == first.components[0].fit.posterior.dimension)
        #expect(warm.sampler.stepSize == first.components[0].fit.chains[0].stepSize)

        // The curve grew by 10 points: refit warm (no step-size adaptation at all, so the draws
        // use exactly the previous step size) and cold.
        var warmSettings = settings
        warmSettings.warmup = 0
        warmSettings.warmStarts = first.warmStarts
        warmSettings.warmStarts["power_law"]?.sampler.adaptStepSize = false
        let refit = try Forecaster.fit(steps: curve.steps, values: curve.values, request: Self.request(warmSettings),
                                       library: Self.library, priors: Self.priors)
        let cold = try Forecaster.fit(steps: curve.steps, values: curve.values, request: Self.request(settings),
                                      library: Self.library, priors: Self.priors)
        let refitChain = refit.components[0].fit.chains[0]
        #expect(refitChain.stepSize == warm.sampler.stepSize)
        // The cold fit optimizes from six starts and adapts over 200 iterations; the warm one
        // from two starts, with no adaptation.
        let coldEvaluations = cold.components[0].fit.chains[0].gradientEvaluations
        #expect(refitChain.gradientEvaluations < coldEvaluations, "\(refitChain.gradientEvaluations) vs \(coldEvaluations)")
        // Same posterior: the forecast medians at 2x agree within 0.5% (the truth is known and
        // both fits see the same 60 points).
        let at = [6000.0]
        let a = try refit.forecast(at: at, quantiles: [0.5])[0].quantiles[0.5] ?? .nan
        let b = try cold.forecast(at: at, quantiles: [0.5])[0].quantiles[0.5] ?? .nan
        #expect(abs(a / b - 1) < 0.005, "warm \(a), cold \(b)")
    }

    @Test func aWarmStartOfAnotherModelOrDimensionIsIgnored() throws {
        let curve = ForecasterTests.curve(30)
        var settings = FitSettings()
        settings.chains = 1
        settings.warmup = 150
        settings.samples = 150
        let metric = Metric.unit(dimension: 2)
        // Wrong dimension under the right name, and a warm start filed under another model.
        settings.warmStarts = [
            "power_law": FitWarmStart(model: "power_law", mode: [0, 0], sampler: WarmStart(stepSize: 0.5, metric: metric)),
            "exp4": FitWarmStart(model: "exp4", mode: [0, 0], sampler: WarmStart(stepSize: 0.5, metric: metric)),
        ]
        let result = try Forecaster.fit(steps: curve.steps, values: curve.values, request: Self.request(settings),
                                        library: Self.library, priors: Self.priors)
        // A cold fit: the step size was adapted, not taken from the (ignored) warm start.
        #expect(result.components[0].fit.chains[0].stepSize != 0.5)
        #expect(result.warmStarts["power_law"]?.mode.count == result.components[0].fit.posterior.dimension)
    }
}

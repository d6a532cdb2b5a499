import Foundation
import Testing
import TestSupport

@testable import CurveModels

/// Schedule-aware models compiled onto the posterior tape: gradients against finite
/// differences, the compiled mean against the reference interpreter with the schedule's
/// provider, and the error without a schedule.
struct ScheduleCompilationTests {
    static let library = try! ModelLibrary.load(directory: RepositoryPaths.root.appendingPathComponent("Models"))
    static let priors = try! PriorSet.loadDefaults(directory: RepositoryPaths.root.appendingPathComponent("Priors"), for: library)
    static let scheduleModels = ["multi_power", "lr_annealing"]

    /// A real curve with its declared schedule: the first `points` logged points of an mpl curve.
    static func curve(_ id: String, points: Int = 300) throws -> (CurveData, LearningRateSchedule) {
        let entry = try #require(MPLCurves.entries.first { $0.id == id })
        let (steps, _, loss) = try MPLCurves.read(entry)
        let n = min(points, steps.count)
        let data = try CurveData(steps: steps.prefix(n).map(Double.init), values: Array(loss.prefix(n)))
        return (data, try LearningRateSchedule(json: entry.scheduleJSON))
    }

    static let curves = ["mpl/25M/wsd_20000_24000", "mpl/25M/wsdcon_9", "mpl/100M/cosine_24000"]

    @Test(arguments: scheduleModels, curves)
    func posteriorGradientMatchesFiniteDifferences(_ name: String, _ curveID: String) throws {
        let model = try Self.library.model(named: name)
        let (data, schedule) = try Self.curve(curveID)
        for family in NoisePrior.Family.allCases {
            var prior = try #require(Self.priors[name])
            prior.noise = .forGradientChecks(family)
            let posterior = try CurvePosterior(model: model, prior: prior, data: data, schedule: schedule)
            expectGradientsMatchFiniteDifferences(posterior, "\(name)/\(curveID)/\(family)", seed: 11)
        }
    }

    /// With every change point kept the compiled mean is the interpreter's to rounding; with the
    /// standard grouping (thousands of change points here) to the grouping's error.
    @Test(arguments: scheduleModels, curves)
    func compiledMeanAgreesWithTheInterpreter(_ name: String, _ curveID: String) throws {
        try compareWithTheInterpreter(name, curveID, grouping: .exact, tolerance: 1e-10)
        try compareWithTheInterpreter(name, curveID, grouping: .standard, tolerance: name == "multi_power" ? 1e-4 : 1e-10)
    }

    func compareWithTheInterpreter(_ name: String, _ curveID: String, grouping: ChangePointGrouping, tolerance: Double) throws {
        let model = try Self.library.model(named: name)
        var (data, schedule) = try Self.curve(curveID, points: 60)
        schedule.decayGrouping = grouping
        let posterior = try CurvePosterior(model: model, prior: try #require(Self.priors[name]), data: data, schedule: schedule)
        let provider = schedule.covariateProvider(stepRef: data.stepRef)
        // Before the warmup ends, fitted points, at the last fitted point, inside and past the
        // schedule's end (held final rate).
        let t = [0.05, data.t[3], 0.9, 1, 1.7, 3.1] + [Double(schedule.total) / data.stepRef, 2.2 * Double(schedule.total) / data.stepRef]
        var evaluator = try posterior.meanEvaluator(t: t)
        // The posterior's own mean at the fitted points, through the likelihood tape's mean.
        var fitted = try posterior.meanEvaluator(t: data.t)
        for draw in posterior.priorDraws(4, seed: 5) {
            let x = posterior.constrain(draw)
            let parameters = Dictionary(uniqueKeysWithValues: zip(posterior.parameterNames, x))
            let compiled = Array(evaluator.mean(at: draw))
            for (j, tj) in t.enumerated() {
                let reference = model.evaluateMean(parameters: parameters, covariates: Covariates(t: tj, provider: provider))
                #expect(isClose(compiled[j], reference, relative: tolerance), "\(name)/\(curveID)/\(grouping) at t = \(tj): \(compiled[j]) vs \(reference)")
            }
            let fittedMeans = Array(fitted.mean(at: draw))
            for j in stride(from: 0, to: data.t.count, by: 7) {
                let reference = model.evaluateMean(parameters: parameters, covariates: Covariates(t: data.t[j], provider: provider))
                #expect(isClose(fittedMeans[j], reference, relative: tolerance), "\(name)/\(curveID)/\(grouping) at fitted t = \(data.t[j])")
            }
        }
    }

    /// `lr` and `lr_area` compile to the schedule's vectors (no shipped model uses `lr` alone).
    @Test func learningRateCovariatesCompile() throws {
        let model = try ModelDefinition.parse(
            "model lr_demo\nparam a positive\nparam b positive\nparam c positive\nmean a + b * lr + c * lr_area\n", file: "lr_demo.model")
        let json = #"""
        {"model": "lr_demo", "parameters": {"a": {"dist": "lognormal", "mu": 0, "sigma": 1},
         "b": {"dist": "lognormal", "mu": 0, "sigma": 1}, "c": {"dist": "lognormal", "mu": 0, "sigma": 1}},
         "noise": {"family": "gaussian", "sigma": {"dist": "halfnormal", "sigma": 0.1}}}
        """#
        let prior = try PriorSet.parse(Data(json.utf8), file: "lr_demo.json")
        let (data, schedule) = try Self.curve("mpl/25M/wsd_20000_24000")
        #expect(throws: CurvePosterior.BuildError.self) { try CurvePosterior(model: model, prior: prior, data: data) }
        let posterior = try CurvePosterior(model: model, prior: prior, data: data, schedule: schedule)
        let provider = schedule.covariateProvider(stepRef: data.stepRef)
        let t = [0.5, 1, 1.003, 1.5]
        var evaluator = try posterior.meanEvaluator(t: t)
        let u = [0.1, -0.2, 0.3, 0]
        let x = posterior.constrain(u)
        let compiled = Array(evaluator.mean(at: u))
        for (j, tj) in t.enumerated() {
            let expected = x[0] + x[1] * provider.learningRate(at: tj) + x[2] * provider.learningRateArea(at: tj)
            #expect(isClose(compiled[j], expected, relative: 1e-12))
        }
        let bad = GradientChecker(relativeTolerance: 1e-6).check("lr_demo", tape: posterior.tape, at: u)
        #expect(bad.isEmpty, "\(bad)")
    }

    @Test(arguments: scheduleModels)
    func withoutAScheduleTheErrorSaysWhatToDo(_ name: String) throws {
        let model = try Self.library.model(named: name)
        let (data, _) = try Self.curve("mpl/25M/wsdcon_9")
        let prior = try #require(Self.priors[name])
        do {
            _ = try CurvePosterior(model: model, prior: prior, data: data)
            Issue.record("\(name) compiled without a schedule")
        } catch {
            #expect(error.description.contains("needs a learning-rate schedule"), "\(error)")
        }
    }
}

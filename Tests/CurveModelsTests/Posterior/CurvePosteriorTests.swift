import CurveModels
import Foundation
import Testing
import TestSupport

/// The compiled curve posteriors: every shipped (schedule-free) model under every noise family
/// is differentiated against finite differences, its compiled mean agrees with the reference
/// interpreter, and bad data is refused with a message.
struct CurvePosteriorTests {
    static let library = try! ModelLibrary.load(directory: RepositoryPaths.root.appendingPathComponent("Models"))
    static let priors = try! PriorSet.loadDefaults(directory: RepositoryPaths.root.appendingPathComponent("Priors"), for: library)
    static let modelNames = library.models.filter { !$0.usesScheduleFunctionals && !$0.covariates.contains(.lr)
        && !$0.covariates.contains(.lrArea) }.map(\.name)

    /// A power-law-like curve with a little deterministic wiggle, 40 points.
    static func data(scale: CurveData.Scale = .log) throws -> CurveData {
        let steps = (1...40).map { Double($0) * 25 }
        let values = steps.map { 2 + 6 * pow($0, -0.4) + 0.003 * sin($0) }
        return try CurveData(steps: steps, values: values, scale: scale)
    }

    @Test(arguments: modelNames)
    func gradientMatchesFiniteDifferencesForEveryNoiseFamily(_ name: String) throws {
        let model = try Self.library.model(named: name)
        for family in NoisePrior.Family.allCases {
            var prior = try #require(Self.priors[name])
            prior.noise = NoisePrior(family: family, sigma: .halfNormal(sigma: 0.05),
                                     nu: family == .studentT ? .gamma(shape: 2, rate: 0.1) : nil,
                                     rho: family == .ar1 ? .beta(alpha: 3, beta: 1) : nil)
            let posterior = try CurvePosterior(model: model, prior: prior, data: try Self.data())
            // A point near the prior median, nudged so that no coordinate sits at a symmetric spot.
            let u = posterior.priorMedianPoint.enumerated().map { $1 + 0.05 * Double($0 + 1) }
            var tape = posterior.tape
            #expect(tape.value(at: u).isFinite, "\(name)/\(family): log density not finite at the prior median")
            let bad = GradientChecker(relativeTolerance: 1e-5).check("\(name)/\(family)", tape: posterior.tape, at: u)
            #expect(bad.isEmpty, "\(bad)")
        }
    }

    @Test(arguments: modelNames)
    func compiledMeanAgreesWithTheInterpreter(_ name: String) throws {
        let model = try Self.library.model(named: name)
        let posterior = try CurvePosterior(model: model, prior: try #require(Self.priors[name]), data: try Self.data())
        let t = [0.01, 0.3, 1, 3, 30, 100]
        var evaluator = try posterior.meanEvaluator(t: t)
        for draw in posterior.priorDraws(5, seed: 3) {
            let x = posterior.constrain(draw)
            let parameters = Dictionary(uniqueKeysWithValues: zip(posterior.parameterNames, x))
            let compiled = Array(evaluator.mean(at: draw))
            for (j, tj) in t.enumerated() {
                let reference = model.evaluateMean(parameters: parameters, covariates: Covariates(t: tj))
                #expect(abs(compiled[j] - reference) <= 1e-10 * max(abs(reference), 1e-300), "\(name) at t = \(tj)")
            }
        }
    }

    @Test func badDataIsRefusedWithAMessage() {
        #expect(throws: CurveData.DataError.tooFewPoints(2)) { try CurveData(steps: [1, 2], values: [3, 2]) }
        #expect(throws: CurveData.DataError.notIncreasing(index: 2, step: 2, previous: 2)) {
            try CurveData(steps: [1, 2, 2], values: [3, 2, 1])
        }
        #expect(throws: CurveData.DataError.nonPositiveValueOnLogScale(index: 1, value: -1)) {
            try CurveData(steps: [1, 2, 3], values: [3, -1, 1])
        }
        #expect(throws: CurveData.DataError.nonFinite(index: 0)) { try CurveData(steps: [1, 2, 3], values: [.nan, 2, 1]) }
        // The linear scale accepts non-positive values.
        #expect((try? CurveData(steps: [1, 2, 3], values: [3, -1, 1], scale: .linear)) != nil)
        #expect(CurveData.DataError.nonPositiveValueOnLogScale(index: 1, value: -1).description.contains("--scale linear"))
    }

    @Test func longCurvesAreThinnedKeepingTheLastPoint() throws {
        let steps = (1...1000).map(Double.init)
        let data = try CurveData(steps: steps, values: steps.map { 1 + 1 / $0 }, maximumPoints: 300)
        #expect(data.steps.count <= 300 && data.steps.first == 1 && data.steps.last == 1000)
        #expect(data.t.last == 1)
        #expect(abs(data.gaps.dropFirst().sorted()[data.gaps.count / 2] - 1) < 0.5)
    }
}

import Foundation
import Testing
import TestSupport

@testable import CurveModels

/// Posteriors over several runs sharing the model's parameters (joint fits across schedules):
/// the gradient against finite differences, the likelihoods adding up, the shared normalization.
struct JointPosteriorTests {
    static let library = ScheduleCompilationTests.library
    static let priors = ScheduleCompilationTests.priors

    /// The first `points` logged points of mpl curves, on their joint normalization.
    static func runs(_ ids: [String], points: Int = 40) throws -> [CurveRun] {
        var raw: [(String, [Double], [Double], LearningRateSchedule)] = []
        for id in ids {
            let entry = try #require(MPLCurves.entries.first { $0.id == id })
            let (steps, _, loss) = try MPLCurves.read(entry)
            let n = min(points, steps.count)
            raw.append((id, steps.prefix(n).map(Double.init), Array(loss.prefix(n)), try LearningRateSchedule(json: entry.scheduleJSON)))
        }
        let shared = CurveData.Normalization.joint(try raw.map { try CurveData(steps: $0.1, values: $0.2) })
        return try raw.map { CurveRun(name: $0.0, data: try CurveData(steps: $0.1, values: $0.2, normalization: shared), schedule: $0.3) }
    }

    static let pair = ["mpl/25M/wsdcon_3", "mpl/25M/wsdcon_18"]

    @Test(arguments: ScheduleCompilationTests.scheduleModels)
    func jointGradientMatchesFiniteDifferences(_ name: String) throws {
        let model = try Self.library.model(named: name)
        let runs = try Self.runs(Self.pair + ["mpl/25M/cosine_24000"], points: 30)
        for family in NoisePrior.Family.allCases {
            var prior = try #require(Self.priors[name])
            prior.noise = .forGradientChecks(family)
            let posterior = try CurvePosterior(model: model, prior: prior, runs: runs)
            #expect(posterior.runs.count == 3 && posterior.dimension == model.parameters.count + (family == .gaussian ? 1 : 2))
            expectGradientsMatchFiniteDifferences(posterior, "\(name)/joint/\(family)", seed: 13)
        }
    }

    /// The runs' log likelihoods add: with J(a, b) the joint log density of runs a and b and
    /// P(a) the single-run one, J(a, b) - P(b) = J(a, a) - P(a) (both are a's log likelihood).
    @Test func logLikelihoodsAdd() throws {
        let model = try Self.library.model(named: "multi_power")
        let prior = try #require(Self.priors["multi_power"])
        let runs = try Self.runs(Self.pair)
        let joint = try CurvePosterior(model: model, prior: prior, runs: runs)
        let twice = try CurvePosterior(model: model, prior: prior, runs: [runs[0], runs[0]])
        let first = try CurvePosterior(model: model, prior: prior, runs: [runs[0]])
        let second = try CurvePosterior(model: model, prior: prior, runs: [runs[1]])
        for u in joint.priorDraws(3, seed: 21) {
            var j = joint.tape, t = twice.tape, a = first.tape, b = second.tape
            let lhs = j.value(at: u) - b.value(at: u), rhs = t.value(at: u) - a.value(at: u)
            #expect(isClose(lhs, rhs, relative: 1e-10, absolute: 1e-9), "\(lhs) vs \(rhs)")
        }
    }

    @Test func runsShareTheLongestRunsNormalization() throws {
        let runs = try Self.runs(["mpl/25M/wsdcon_9", "mpl/25M/cosine_24000"], points: 200)
        // cosine_24000 is the longer run: t = 1 at its last step, y = 1 at its level there.
        #expect(runs[1].data.t.last == 1 && runs[0].data.t.last! < 1)
        #expect(runs[0].data.normalization == runs[1].data.normalization)
        #expect(runs[0].data.stepRef == 23920)
        #expect(abs(runs[1].data.observations.suffix(5).sorted()[2]) < 1e-12)
        // The spacing unit is shared (128 steps for both), so gaps stay 1, but for the 64 steps
        // wsdcon_9 logs at its switch (step 8000).
        #expect(runs[0].data.gaps.filter { $0 != 1 } == [0.5] && runs[1].data.gaps.allSatisfy { $0 == 1 })
    }

    @Test func runsOnDifferentScalesAreRefused() throws {
        let model = try Self.library.model(named: "multi_power")
        let prior = try #require(Self.priors["multi_power"])
        let entry = try #require(MPLCurves.entries.first { $0.id == "mpl/25M/wsdcon_9" })
        let (steps, _, loss) = try MPLCurves.read(entry)
        let schedule = try LearningRateSchedule(json: entry.scheduleJSON)
        let a = try CurveData(steps: steps.prefix(30).map(Double.init), values: Array(loss.prefix(30)))
        let b = try CurveData(steps: steps.prefix(40).map(Double.init), values: Array(loss.prefix(40)))
        do {
            _ = try CurvePosterior(model: model, prior: prior, runs: [CurveRun(name: "a", data: a, schedule: schedule),
                                                                       CurveRun(name: "b", data: b, schedule: schedule)])
            Issue.record("runs with different normalizations were accepted")
        } catch {
            #expect(error.description.contains("run 'b' is not on the normalized scale of run 'a'"), "\(error)")
        }
        // A run without a schedule is named in the message.
        let shared = CurveData.Normalization.joint([a, b])
        let runs = [CurveRun(name: "a", data: try CurveData(steps: a.steps, values: a.values, normalization: shared), schedule: schedule),
                    CurveRun(name: "b", data: try CurveData(steps: b.steps, values: b.values, normalization: shared))]
        do {
            _ = try CurvePosterior(model: model, prior: prior, runs: runs)
            Issue.record("a run without a schedule was accepted")
        } catch {
            #expect(error.description.contains("run 'b'") && error.description.contains("needs a learning-rate schedule"), "\(error)")
        }
    }
}

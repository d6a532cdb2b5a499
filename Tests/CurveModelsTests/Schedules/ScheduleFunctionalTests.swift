import Autodiff
import Foundation
import Testing
import TestSupport

@testable import CurveModels

/// The schedule functionals as tape operations: values against the point-by-point reference
/// provider (and, for one schedule, against the independent WSD stub of TestHelpers), gradients
/// against finite differences at ordinary and awkward parameter values, grids of size 0, 1 and n
/// with points before, at and after change points (unsorted, repeated, past the schedule's end, up to 20x).
struct ScheduleFunctionalTests {
    /// Small schedules with stepRef 20 (so t = 1 is step 20).
    static let schedules: [String: String] = [
        "constant": #"{"kind":"constant","warmup":5,"total":60,"peak":1}"#,
        "wsd": #"{"kind":"wsd","warmup":5,"total":60,"peak":2,"end":0.2,"decay_start":52,"decay_shape":"exponential"}"#,
        "two_stage": #"{"kind":"two_stage","warmup":5,"total":60,"peak":1,"second":0.3,"switch":30}"#,
        "cosine": #"{"kind":"cosine","warmup":5,"total":60,"peak":1,"end":0.1}"#,
        "linear_to_zero": #"{"kind":"linear","warmup":0,"total":40,"peak":1,"end":0}"#,
        "step": #"{"kind":"step","warmup":3,"total":60,"peak":1,"milestones":[20,21,40],"factor":0.5}"#,
    ]
    static let stepRef = 20.0

    /// Grids: empty, one point (at the two_stage switch), every step 1...70 (before warmup end,
    /// at and after every change, past the end), and an unsorted grid with repeats.
    static let grids: [[Double]] = [
        [],
        [30 / stepRef],
        (1...70).map { Double($0) / stepRef },
        [3.1, 0.05, 1.5, 1.5, 2.6, 0.3, 1.45, 2.6, 0.26, 60],
    ]

    static func schedule(_ name: String) -> LearningRateSchedule { try! LearningRateSchedule(json: schedules[name]!) }

    enum Functional { case anneal, decay }

    /// A tape whose output is sum_j weight_j f_j(params) (weights nonzero and distinct), keeping f.
    static func tape(_ f: Functional, _ covariates: ScheduleCovariates) -> (Tape, NodeID) {
        let r = TapeRecorder()
        let out: Variable
        switch f {
        case .anneal: out = r.custom(covariates.annealAreaOperation(), inputs: [r.parameter("lambda")])
        case .decay:
            out = r.custom(covariates.lrDecaySumOperation(),
                           inputs: [r.parameter("C"), r.parameter("beta"), r.parameter("gamma")])
        }
        let n = covariates.t.count
        let weightValues: [Double] = (0..<n).map { (j: Int) -> Double in
            let a = 0.37 * Double(j % 7)
            let b = 0.11 * Double(j) / Double(max(n, 1))
            return 1 + a - b
        }
        let weights = r.vector(weightValues)
        let output = n == 0 ? r.constant(0) : r.dot(out, weights)
        return (r.finish(output: output, keep: [out]), out.node)
    }

    static let lambdas: [Double] = [0.5, 0.9, 1e-6, 0.999_999]
    static let decayParameters: [[Double]] = [
        [2, 0.6, 0.6], [50, 0.6, 0.6], [2, 1e-3, 0.6], [2, 25, 0.6], [2, 0.6, 1e-4], [1e-3, 0.6, 0.6], [500, 2, 1.5],
    ]

    @Test(arguments: schedules.keys.sorted())
    func annealAreaMatchesTheReferenceAndFiniteDifferences(_ name: String) throws {
        let schedule = Self.schedule(name)
        let provider = schedule.covariateProvider(stepRef: Self.stepRef)
        for grid in Self.grids {
            let covariates = schedule.covariates(stepRef: Self.stepRef, t: grid)
            var (tape, node) = Self.tape(.anneal, covariates)
            for lambda in Self.lambdas {
                _ = tape.value(at: [lambda])
                let values = Array(tape.values(of: node))
                #expect(values.count == grid.count)
                for (j, t) in grid.enumerated() {
                    let reference = provider.annealArea(lambda: lambda, at: t)
                    #expect(isClose(values[j], reference, relative: 1e-12, absolute: 1e-15),
                            "\(name) lambda \(lambda) t \(t): \(values[j]) vs \(reference)")
                }
                let bad = GradientChecker(relativeTolerance: 1e-6).check("anneal_area/\(name)", tape: tape, at: [lambda])
                #expect(bad.isEmpty, "\(bad)")
            }
        }
    }

    @Test(arguments: schedules.keys.sorted())
    func decaySumMatchesTheReferenceAndFiniteDifferences(_ name: String) throws {
        let schedule = Self.schedule(name)
        let provider = schedule.covariateProvider(stepRef: Self.stepRef)
        for grid in Self.grids {
            // Small schedules are exact by default; also force grouping to check its gradient.
            for grouping in [ChangePointGrouping.standard, ChangePointGrouping(exactLimit: 3, segments: 4)] {
                let covariates = schedule.covariates(stepRef: Self.stepRef, t: grid, grouping: grouping)
                var (tape, node) = Self.tape(.decay, covariates)
                for p in Self.decayParameters {
                    _ = tape.value(at: p)
                    let values = Array(tape.values(of: node))
                    #expect(values.count == grid.count)
                    if grouping == .standard {
                        for (j, t) in grid.enumerated() {
                            let reference = provider.lrDecaySum(c: p[0], beta: p[1], gamma: p[2], at: t)
                            #expect(isClose(values[j], reference, relative: 1e-11, absolute: 1e-15),
                                    "\(name) \(p) t \(t): \(values[j]) vs \(reference)")
                        }
                    }
                    let bad = GradientChecker(relativeTolerance: 1e-6).check("lr_decay_sum/\(name)", tape: tape, at: p)
                    #expect(bad.isEmpty, "\(bad)")
                }
            }
        }
    }

    /// The reference provider agrees with the independent WSD stub of TestHelpers (same
    /// conventions written separately), and lr / lr_area vectors with the provider.
    @Test func referenceProviderAgreesWithTheTestStub() {
        let stub = WarmupStableDecaySchedule()
        let schedule = LearningRateSchedule(rates: WarmupStableDecaySchedule.lrProfile, peak: 1,
                                            warmupSteps: WarmupStableDecaySchedule.warmupSteps)
        let provider = schedule.covariateProvider(stepRef: WarmupStableDecaySchedule.stepsPerUnit)
        let grid = [0.01, 0.03, 0.05, 0.06, 0.3, 0.6, 0.61, 0.8, 1, 1.01, 2.5, 7]
        for t in grid {
            #expect(provider.learningRate(at: t) == stub.learningRate(at: t))
            #expect(isClose(provider.learningRateArea(at: t), stub.learningRateArea(at: t), relative: 1e-13))
            #expect(isClose(provider.annealArea(lambda: 0.3, at: t), stub.annealArea(lambda: 0.3, at: t), relative: 1e-12, absolute: 1e-15))
            #expect(isClose(provider.lrDecaySum(c: 5, beta: 0.7, gamma: 0.4, at: t),
                            stub.lrDecaySum(c: 5, beta: 0.7, gamma: 0.4, at: t), relative: 1e-12, absolute: 1e-15))
        }
        let covariates = schedule.covariates(stepRef: 100, t: grid)
        for (j, t) in grid.enumerated() {
            #expect(covariates.learningRate[j] == provider.learningRate(at: t))
            #expect(isClose(covariates.learningRateArea[j], provider.learningRateArea(at: t), relative: 1e-13))
        }
    }

    /// Grouping a 72k-step cosine's change points into segments keeps lr_decay_sum within a small
    /// error of the exact sum (measured at a spread of the 550 evaluation points).
    @Test func decaySumGroupingErrorIsSmall() throws {
        let schedule = try LearningRateSchedule(json: #"{"kind":"cosine","warmup":2160,"total":72000,"peak":0.0003,"end":3e-05}"#)
        let stepRef = 24_000.0
        let steps = (0..<550).map { 2160 + 128 * $0 }
        let t = steps.map { Double($0) / stepRef }
        let covariates = schedule.covariates(stepRef: stepRef, t: t)
        let op = covariates.lrDecaySumOperation()
        #expect(op.columns < 1200, "\(op.columns) columns")
        var (tape, node) = Self.tape(.decay, covariates)
        let provider = schedule.covariateProvider(stepRef: stepRef)
        var worst = 0.0
        for p in [[2.0, 0.6, 0.6], [50, 0.6, 0.6], [0.5, 2, 1]] {
            _ = tape.value(at: p)
            let values = Array(tape.values(of: node))
            var worstHere = 0.0, largest = 0.0
            for j in stride(from: 3, to: 550, by: 61) {
                let reference = provider.lrDecaySum(c: p[0], beta: p[1], gamma: p[2], at: t[j])
                worstHere = max(worstHere, abs(values[j] - reference))
                largest = max(largest, abs(reference))
            }
            print("grouping error at \(p): \(worstHere) (largest LD \(largest), \(op.columns) columns)")
            worst = max(worst, worstHere)
        }
        // LD is 0.3 - 0.7 at t = 3 here; measured: 6e-7 (C = 2), 1.4e-5 (C = 50), 8e-7 (C = 0.5),
        // dominated by the segment just before each point (a cut at every evaluation point,
        // 128 steps apart). b L0 LD in the loss: a relative error of ~1e-6, far below the noise.
        #expect(worst < 3e-5, "worst absolute error \(worst)")
    }
}

import Autodiff
import Foundation
import Testing

@testable import CurveModels

/// Pins the shipped `multi_power` model to Luo et al. (2025)'s formula, written out by hand on a
/// seven-step schedule in raw units (learning rate 3e-4 scale, areas in steps x rate):
/// ```
/// L(n) = L0 + A (S_W + S1(n))^-alpha - B sum_{k=W+1}^{n} (lr_{k-1} - lr_k) G(lr_k^-gamma S_k(n)),
/// G(x) = 1 - (C x + 1)^-beta,   S_k(n) = sum_{s=k}^{n} lr_s,   S_W + S1(n) = sum_{s=1}^{n} lr_s
/// ```
/// evaluated through the model file at the parameters converted to the normalized scale
/// (Models/multi_power.model): with peak P and step_ref R,
/// ```
/// L0' = L0,  A' = A (P R)^-alpha,  b = B P / L0,  C' = C P^(1 - gamma) R
/// ```
/// (values not rescaled here: value_ref = 1). A wrong LR area (warmup left out), a wrong S_k
/// (off by one step), a missing lr_k^-gamma or a wrong B <-> b relation each changes the value
/// by far more than the tolerance.
struct MultiPowerLawByHandTests {
    static let peak = 3e-4
    /// rate(s) for s = 0...6: linear warmup to step W = 2, a halving at step 4, another at step 6.
    static let rates = [0, 0.5, 1, 1, 0.5, 0.5, 0.25].map { $0 * peak }
    static let warmup = 2
    static let stepRef = 4.0

    /// The formula at step 6, every sum written out (the drop at k = 3 and k = 5 is zero).
    static func byHand(l0: Double, a: Double, alpha: Double, b: Double, c: Double, beta: Double, gamma: Double) -> Double {
        let p = peak
        let area = (0.5 + 1 + 1 + 0.5 + 0.5 + 0.25) * p           // S_W + S1(6), warmup included
        let s4 = (0.5 + 0.5 + 0.25) * p                            // S_4(6) = lr_4 + lr_5 + lr_6
        let s6 = 0.25 * p                                          // S_6(6) = lr_6
        func g(_ x: Double) -> Double { 1 - Foundation.pow(c * x + 1, -beta) }
        let ld = (1 - 0.5) * p * g(Foundation.pow(0.5 * p, -gamma) * s4)
            + (0.5 - 0.25) * p * g(Foundation.pow(0.25 * p, -gamma) * s6)
        return l0 + a * Foundation.pow(area, -alpha) - b * ld
    }

    @Test(arguments: [
        [3.0405, 0.5247, 0.5079, 363.79, 2.0656, 0.5828, 0.6414],   // Luo et al.'s 25M magnitudes
        [2.0, 0.3, 0.9, 50.0, 40.0, 1.7, 0.2],                      // far from them
    ])
    func modelFileMatchesTheFormula(_ raw: [Double]) throws {
        let (l0, a, alpha, bRaw, c, beta, gamma) = (raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6])
        let model = try ModelLibrary.load(directory: Shipped.models).model(named: "multi_power")
        let schedule = LearningRateSchedule(rates: Self.rates, peak: Self.peak, warmupSteps: Self.warmup)
        let provider = schedule.covariateProvider(stepRef: Self.stepRef)
        let p = Self.peak, r = Self.stepRef
        let normalized: [String: Double] = [
            "L0": l0, "A": a * Foundation.pow(p * r, -alpha), "alpha": alpha,
            "b": bRaw * p / l0, "C": c * Foundation.pow(p, 1 - gamma) * r, "beta": beta, "gamma": gamma,
        ]
        let expected = Self.byHand(l0: l0, a: a, alpha: alpha, b: bRaw, c: c, beta: beta, gamma: gamma)
        let viaModel = model.evaluateMean(parameters: normalized, covariates: Covariates(t: 6 / r, provider: provider))
        // Tolerance: a few ulps of the largest term, amplified by pow's conditioning (~1e-13 relative).
        #expect(isClose(viaModel, expected, relative: 1e-12), "model \(viaModel) vs formula \(expected)")
        // The compiled tape operation (every change point its own column on a schedule this small)
        // agrees with the hand value of the sum, LD' = LD / P on the normalized scale.
        let covariates = schedule.covariates(stepRef: r, t: [6 / r])
        let recorder = TapeRecorder()
        let out = recorder.custom(covariates.lrDecaySumOperation(),
                                  inputs: [recorder.parameter("C"), recorder.parameter("beta"), recorder.parameter("gamma")])
        var tape = recorder.finish(output: recorder.dot(out, recorder.vector([1])), keep: [out])
        let ld = tape.value(at: [normalized["C"]!, beta, gamma])
        let handLD = (l0 + a * Foundation.pow((0.5 + 1 + 1 + 0.5 + 0.5 + 0.25) * p, -alpha) - expected) / (bRaw * p)
        #expect(isClose(ld, handLD, relative: 1e-11), "tape LD \(ld) vs hand \(handLD)")
    }
}

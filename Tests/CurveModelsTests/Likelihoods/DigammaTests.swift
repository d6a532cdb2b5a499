import Foundation
import Testing

@testable import CurveModels

/// Digamma and the half-step gamma differences against 40-digit mpmath values.
@Suite struct DigammaTests {
    /// (x, psi(x)) from mpmath.digamma at 40 digits.
    static let known: [(Double, Double)] = [
        (1, -0.5772156649015329),
        (0.5, -1.9635100260214235),
        (10, 2.251752589066721),
        (2, 0.42278433509846714),
        (0.25, -4.2274535333762654),
        (-0.5, 0.036489973978576521),
        (6, 1.7061176684318005),
        (9.99, 2.2507003728312011),  // just below the switch to the series
        (100, 4.6001618527380874),
        (1e8, 18.420680738952365),
        (1e-6, -1000000.5772140200),
    ]

    @Test(arguments: known)
    func knownValues(_ pair: (Double, Double)) {
        let (x, expected) = pair
        let value = SpecialFunctions.digamma(x)
        // 1e-13 absolute, or relative where |psi| > 1 (psi(1e-6) ~ -1e6).
        #expect(abs(value - expected) <= 1e-13 * max(1, abs(expected)), "psi(\(x)) = \(value), expected \(expected)")
    }

    @Test func recurrenceHoldsAcrossTheSeriesThreshold() {
        // psi(x + 1) - psi(x) = 1/x, with x and x + 1 on either side of the threshold 10.
        for x in [0.01, 0.3, 1.7, 4.5, 8.9, 9.5, 9.999, 10, 13.2, 250] {
            let difference = SpecialFunctions.digamma(x + 1) - SpecialFunctions.digamma(x)
            #expect(isClose(difference, 1 / x, relative: 1e-13, absolute: 1e-14), "x = \(x)")
        }
    }

    @Test func polesAndSpecialArguments() {
        for x in [0.0, -1, -2, -17] { #expect(SpecialFunctions.digamma(x).isNaN, "pole at \(x)") }
        #expect(SpecialFunctions.digamma(.nan).isNaN)
        #expect(SpecialFunctions.digamma(.infinity) == .infinity)
    }

    /// (a, lgamma(a + 1/2) - lgamma(a) - log(a)/2, psi(a + 1/2) - psi(a) - 1/(2a)) from mpmath.
    static let halfStep: [(Double, Double, Double)] = [
        (0.25, -0.39159439270683678, 1.1415926535897932),
        (1, -0.12078223763524522, 0.11370563888010938),
        (3.5, -0.035595617366703222, 0.010103884929414428),
        (15.9, -0.0078603410443338590, 0.00049419847481616995),
        (16, -0.0078112299199676245, 0.00048804329516312870),
        (16.1, -0.0077627285766389865, 0.00048200237834783643),
        (100, -0.0012499947918229048, 0.000012499843757811670),
        (1e6, -1.2499999999999479e-7, 1.24999999999984375e-13),
        (5e11, -2.5000000000000005e-13, 5.0e-25),
    ]

    @Test(arguments: halfStep)
    func halfStepDifferences(_ row: (Double, Double, Double)) {
        let (a, logGammaExcess, digammaExcess) = row
        let l = SpecialFunctions.logGammaHalfStepExcess(a)
        let d = SpecialFunctions.digammaHalfStepExcess(a)
        if a < SpecialFunctions.halfStepAsymptoticThreshold {
            // Direct differences: absolute error ~ eps * lgamma(a) and eps * psi(a).
            #expect(abs(l - logGammaExcess) <= 2e-14, "lgamma excess at \(a): \(l)")
            #expect(abs(d - digammaExcess) <= 2e-14, "digamma excess at \(a): \(d)")
        } else {
            // Series: full relative precision however small the result.
            #expect(isClose(l, logGammaExcess, relative: 1e-13), "lgamma excess at \(a): \(l)")
            #expect(isClose(d, digammaExcess, relative: 1e-13), "digamma excess at \(a): \(d)")
        }
    }
}

import Foundation
import Testing

@testable import CurveModels

@Suite struct SupportTests {
    static let supports: [Support] = [.positive, .unit, .real, .interval(lower: -2, upper: 3), .interval(lower: 1e-3, upper: 1e-3 + 1e-6)]

    /// Points where the transform is invertible to ~1e-8 (beyond |u| ~ 15 a logistic's 1 - x
    /// keeps fewer digits than that; positive and real are fine much further).
    static let moderatePoints: [Double] = [-15, -7.5, -1, -1e-3, 0, 1e-8, 0.3, 2, 9, 15]

    @Test(arguments: supports)
    func roundTrip(_ support: Support) {
        for u in Self.moderatePoints {
            let x = support.constrain(u)
            #expect(support.contains(x), "\(support) u=\(u) x=\(x)")
            #expect(isClose(support.unconstrain(x), u, relative: 1e-8, absolute: 1e-8), "\(support) u=\(u)")
        }
    }

    @Test(arguments: supports)
    func derivativesMatchFiniteDifferences(_ support: Support) {
        let h = 1e-5
        for u in Self.moderatePoints + [-30, 30] {
            let numericDx = (support.constrain(u + h) - support.constrain(u - h)) / (2 * h)
            // The difference of two values of size |x| carries rounding of ~ulp(x) / h.
            let roundingError = 10 * support.constrain(u).ulp / h
            #expect(
                isClose(support.derivative(u), numericDx, relative: 1e-6, absolute: roundingError),
                "\(support) dx/du at \(u)")
            let numericJ = (support.logJacobian(u + h) - support.logJacobian(u - h)) / (2 * h)
            #expect(isClose(support.logJacobianDerivative(u), numericJ, relative: 1e-6, absolute: 1e-9), "\(support) dlogJ at \(u)")
            if support.derivative(u) > 0 {
                #expect(isClose(support.logJacobian(u), Foundation.log(support.derivative(u)), relative: 1e-10, absolute: 1e-12))
            }
        }
    }

    @Test func extremeInputsStayFinite() {
        for support in Self.supports {
            for u in [-800.0, -40, 40, 800] {
                #expect(support.logJacobian(u).isFinite || support == .positive && abs(u) > 700, "\(support) \(u)")
                #expect(support.logJacobianDerivative(u).isFinite)
                let x = support.constrain(u)
                #expect(!x.isNaN)
            }
        }
        // The unit log-Jacobian is -|u| - 2 log1p(e^-|u|) ~ -|u| far out, where log(x (1 - x)) is log 0.
        #expect(Support.unit.logJacobian(-800) == -800)
        #expect(Support.unit.logJacobian(800) == -800)
        #expect(isClose(Support.unit.logJacobian(0), -2 * M_LN2))
        // Near the upper end the interval measures from b: the gap b - x keeps its digits.
        let interval = Support.interval(lower: 0, upper: 1)
        #expect(isClose(1 - interval.constrain(30), StableMath.logistic(-30), relative: 1e-3))
        #expect(isClose(interval.unconstrain(interval.constrain(-700)), -700, relative: 1e-12))
    }

    @Test func stableMathAgreesWithTextbookFormsWhereTheyAreAccurate() {
        // (Below x ~ -5 the textbook softplus is the inaccurate one: 1 + e^x drops digits of e^x.)
        for x in [-3.0, -0.5, 0, 0.5, 3, 20] {
            #expect(isClose(StableMath.softplus(x), Foundation.log(1 + Foundation.exp(x)), relative: 1e-13))
            #expect(isClose(StableMath.logistic(x), 1 / (1 + Foundation.exp(-x)), relative: 1e-14))
        }
        #expect(isClose(StableMath.softplus(-20), Foundation.exp(-20) - Foundation.exp(-40) / 2, relative: 1e-15))
        #expect(StableMath.softplus(-800) == Foundation.exp(-800))
        #expect(StableMath.logistic(-800) == Foundation.exp(-800))
        #expect(isClose(StableMath.logAddExp(1000, 1000), 1000 + M_LN2, relative: 1e-15))
    }
}

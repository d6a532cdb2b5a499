import Foundation
import Testing
@testable import Sampling

@Suite("Dual-averaging step size")
struct StepSizeAdaptationTests {
    /// Stan's reference values (src/test/unit/mcmc/stepsize_adaptation_test.cpp, NUTS_NOTES.md
    /// section 3), checked to 1e-12 relative: the computation is a handful of operations, so the
    /// only differences can come from pow/exp/sqrt rounding (a few ulp).
    static let tolerance = 1e-12

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= Self.tolerance * max(abs(b), 1) }

    @Test("Stan vector 1: a = 1 from counter 273")
    func vector1() {
        var s = StepSizeAdaptation(counter: 273, sBar: 0.00513820936953773, xBar: 0.886351350781597,
                                   mu: 2.488109515349, delta: 0.5, gamma: 0.05, kappa: 0.75, t0: 10)
        let eps = s.learn(acceptStat: 1.0)
        #expect(close(eps, 3.95863527373545), "eps \(eps)")
    }

    @Test("Stan vectors 2 and 3: eps, s_bar, x_bar from counter 79")
    func vectors23() {
        var s = StepSizeAdaptation(counter: 79, sBar: 0.0209457573689391, xBar: 0.821976337071218,
                                   mu: 4.13018724667137, delta: 0.5, gamma: 0.05, kappa: 0.75, t0: 10)
        let eps = s.learn(acceptStat: 0.728285153733299)
        #expect(close(eps, 2.40769920051673), "eps \(eps)")
        #expect(close(s.sBar, 0.0181765250233587), "s_bar \(s.sBar)")
        #expect(close(s.xBar, 0.824095816988227), "x_bar \(s.xBar)")

        var t = StepSizeAdaptation(counter: 79, sBar: 0.0206811620891896, xBar: 0.825842987938587,
                                   mu: 4.13018305456267, delta: 0.5, gamma: 0.05, kappa: 0.75, t0: 10)
        let eps3 = t.learn(acceptStat: 0.684248188546772)
        #expect(close(eps3, 2.31161210908631), "eps \(eps3)")
        #expect(close(t.sBar, 0.0184041693043455), "s_bar \(t.sBar)")
        #expect(close(t.xBar, 0.826295412288499), "x_bar \(t.xBar)")
    }

    @Test("accept stats above 1 are clipped; restart clears the state; final eps = exp(x_bar)")
    func clipAndRestart() {
        var a = StepSizeAdaptation(initialStepSize: 1), b = a
        #expect(abs(a.mu - log(10.0)) < 1e-15)
        _ = a.learn(acceptStat: 1.7)
        _ = b.learn(acceptStat: 1.0)
        #expect(a == b)
        #expect(abs(a.adaptedStepSize - exp(a.xBar)) < 1e-15)
        a.restart()
        #expect(a.counter == 0 && a.sBar == 0 && a.xBar == 0)
    }

    @Test("on a fixed acceptance curve the step size converges to the target")
    func convergesToTarget() {
        // accept(eps) = exp(-eps): the fixed point of delta = 0.8 is eps = -log 0.8 = 0.2231.
        var s = StepSizeAdaptation(initialStepSize: 1)
        var eps = 1.0
        for _ in 0..<2000 { eps = s.learn(acceptStat: exp(-eps)) }
        #expect(abs(s.adaptedStepSize - 0.2231435513) < 0.01)
    }
}


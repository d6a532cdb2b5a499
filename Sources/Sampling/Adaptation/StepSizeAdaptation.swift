/// Nesterov dual averaging of log(eps) toward a target acceptance statistic
/// (Hoffman & Gelman 2014, section 3.2.1; Stan `mcmc/stepsize_adaptation.hpp`).
///
/// After the t-th transition, with a = min(accept_stat, 1):
/// ```
/// eta   = 1 / (t + t0)
/// s_bar = (1 - eta) s_bar + eta (delta - a)
/// x     = mu - s_bar sqrt(t) / gamma            eps_t = exp(x)
/// w     = t^-kappa
/// x_bar = (1 - w) x_bar + w x                   eps_final = exp(x_bar)
/// ```
/// Defaults are Stan's: delta 0.8, gamma 0.05, kappa 0.75, t0 10; mu = log(10 eps_0).
public struct StepSizeAdaptation: Sendable, Equatable {
    /// Stan's default target acceptance statistic.
    public static let defaultDelta = 0.8
    /// Stan's default adaptation regularization scale.
    public static let defaultGamma = 0.05
    /// Stan's default relaxation exponent.
    public static let defaultKappa = 0.75
    /// Stan's default adaptation iteration offset.
    public static let defaultT0 = 10.0

    public var mu: Double
    public var delta: Double
    public var gamma: Double
    public var kappa: Double
    public var t0: Double
    public private(set) var counter: Double
    public private(set) var sBar: Double
    public private(set) var xBar: Double

    /// A fresh adaptation (counter, s_bar, x_bar = 0) shrinking toward mu = log(10 eps_0).
    public init(initialStepSize: Double, delta: Double = defaultDelta, gamma: Double = defaultGamma,
                kappa: Double = defaultKappa, t0: Double = defaultT0) {
        self.init(counter: 0, sBar: 0, xBar: 0, mu: _log(10 * initialStepSize),
                  delta: delta, gamma: gamma, kappa: kappa, t0: t0)
    }

    /// An adaptation in an arbitrary state (Stan's unit tests set the state this way).
    public init(counter: Double, sBar: Double, xBar: Double, mu: Double,
                delta: Double, gamma: Double, kappa: Double, t0: Double) {
        self.counter = counter; self.sBar = sBar; self.xBar = xBar; self.mu = mu
        self.delta = delta; self.gamma = gamma; self.kappa = kappa; self.t0 = t0
    }

    /// Updates the state with one acceptance statistic and returns the next step size exp(x).
    public mutating func learn(acceptStat: Double) -> Double {
        counter += 1
        let a = acceptStat > 1 ? 1 : acceptStat
        let eta = 1.0 / (counter + t0)
        sBar = (1.0 - eta) * sBar + eta * (delta - a)
        let x = mu - sBar * counter.squareRoot() / gamma
        let w = _pow(counter, -kappa)
        xBar = (1.0 - w) * xBar + w * x
        return _exp(x)
    }

    /// Forgets the history (after a metric update; Stan `restart`).
    public mutating func restart() {
        counter = 0
        sBar = 0
        xBar = 0
    }

    /// The step size used after warmup, exp(x_bar) (Stan `complete_adaptation`).
    public var adaptedStepSize: Double { _exp(xBar) }
}

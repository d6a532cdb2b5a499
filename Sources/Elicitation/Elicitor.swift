import CurveModels
import Foundation

/// Turns judgements stated in the curve's own units into an ordinary prior file (issue 9).
///
/// Units: the user speaks in loss values and steps; priors live on the normalized axes of
/// Models/README.md, t = step / stepRef and y = loss / lossRef. So a floor quantile f becomes
/// E_norm = f / lossRef, a future step S becomes t = S / stepRef (a multiple "10x" is t = 10),
/// and a future loss quantile q becomes q / lossRef. Exponents have no unit.
///
/// Order of the fits: the floor and the exponent first (each by `QuantileMatching` in the family
/// of its default prior), then the future-loss question, which moves the amplitude `A` (its prior
/// becomes lognormal(mu, sigma)) and, only when the exponent question was skipped and the
/// exponent's prior is lognormal, the exponent's sigma (median kept), chosen by Nelder-Mead so that the Monte
/// Carlo quantiles of the prior predictive mean m(t) (every other parameter drawn from the prior
/// as already elicited, common random numbers) match the stated ones in log terms.
public struct Elicitor {
    /// Parameters that play the floor, in the order looked for.
    public static let floorNames = ["E", "L0"]
    /// Parameters that play the (late) exponent.
    public static let exponentNames = ["alpha", "alpha1"]
    /// The amplitude, the only parameter the future-loss question moves.
    public static let amplitudeName = "A"
    /// A stated quantile is "reproduced" when the implied one is within this relative distance (issue 9).
    public static let tolerance = 0.05
    /// Prior predictive draws for the fit and for the reported quantiles (different seeds).
    static let fitDraws = 1000, reportDraws = 4000
    static let fitSeed: UInt64 = 17, reportSeed: UInt64 = 29

    public struct Future: Sendable, Hashable {
        /// The future step, in the curve's units.
        public var step: Double
        public var quantiles: [QuantilePoint]
        public init(step: Double, quantiles: [QuantilePoint]) { self.step = step; self.quantiles = quantiles }
    }

    /// The judgements, in the curve's units; nil means skip (keep the default).
    public struct Judgements: Sendable, Hashable {
        public var floor: [QuantilePoint]?
        public var exponent: [QuantilePoint]?
        public var future: Future?
        public init(floor: [QuantilePoint]? = nil, exponent: [QuantilePoint]? = nil, future: Future? = nil) {
            self.floor = floor; self.exponent = exponent; self.future = future
        }
    }

    /// One line of the comparison table.
    public struct Row: Sendable, Hashable {
        public var quantity: String
        public var probability: Double
        public var asked: Double
        public var implied: Double
        public var relativeError: Double { abs(implied - asked) / abs(asked) }
    }

    public struct Outcome: Sendable {
        public var prior: PriorSet
        public var rows: [Row]
        /// Why a judgement could not be matched within `tolerance`, one note per quantity.
        public var notes: [String]
    }

    public var model: ModelDefinition
    public var basePrior: PriorSet
    public var stepRef: Double
    public var lossRef: Double

    public init(model: ModelDefinition, basePrior: PriorSet, stepRef: Double, lossRef: Double) {
        self.model = model
        self.basePrior = basePrior
        self.stepRef = stepRef
        self.lossRef = lossRef
    }

    public var floorParameter: String? { Self.floorNames.first { model.parameter(named: $0) != nil } }
    public var exponentParameter: String? { Self.exponentNames.first { model.parameter(named: $0) != nil } }
    public var amplitudeParameter: String? { model.parameter(named: Self.amplitudeName) == nil ? nil : Self.amplitudeName }

    /// Validates the judgements and fits the prior.
    public func elicit(_ judgements: Judgements) throws(ElicitationError) -> Outcome {
        var prior = basePrior
        prior.fileName = ""
        var rows: [Row] = []
        var notes: [String] = []
        var said: [String] = []
        if let floor = judgements.floor {
            guard let name = floorParameter else {
                throw ElicitationError("model '\(model.name)' has no floor parameter (\(Self.floorNames.joined(separator: " or "))); skip the floor question")
            }
            let points = try validateQuantiles(floor, quantity: "loss floor")
            let normalized = points.map { QuantilePoint($0.probability, $0.value / lossRef) }
            let fit = QuantileMatching.fit(normalized, family: prior.parameters[name] ?? .lognormal(mu: 0, sigma: 1), positive: true)
            prior.parameters[name] = fit.distribution
            for p in points {
                rows.append(Row(quantity: "floor \(name)", probability: p.probability, asked: p.value,
                                implied: fit.distribution.quantile(p.probability) * lossRef))
            }
            if fit.maximumRelativeError > Self.tolerance {
                notes.append("floor: a \(familyName(fit.distribution)) cannot pass through all these quantiles (worst miss \(percent(fit.maximumRelativeError))); they are too asymmetric for a two-parameter family, the fit is the closest in least squares")
            }
            said.append("floor")
        }
        if let exponent = judgements.exponent {
            guard let name = exponentParameter else {
                throw ElicitationError("model '\(model.name)' has no exponent parameter (\(Self.exponentNames.joined(separator: " or "))); skip the exponent question")
            }
            let points = try validateQuantiles(exponent, quantity: "exponent")
            let fit = QuantileMatching.fit(points, family: prior.parameters[name] ?? .lognormal(mu: 0, sigma: 1), positive: true)
            prior.parameters[name] = fit.distribution
            for p in points {
                rows.append(Row(quantity: "exponent \(name)", probability: p.probability, asked: p.value,
                                implied: fit.distribution.quantile(p.probability)))
            }
            if fit.maximumRelativeError > Self.tolerance {
                notes.append("exponent: a \(familyName(fit.distribution)) cannot pass through all these quantiles (worst miss \(percent(fit.maximumRelativeError))); the fit is the closest in least squares")
            }
            said.append("exponent")
        }
        if let future = judgements.future {
            guard let amplitude = amplitudeParameter else {
                throw ElicitationError("model '\(model.name)' has no amplitude parameter A, which the future-loss question adjusts; skip it or use a model with A (power_law, broken_power_law, ...)")
            }
            guard future.step.isFinite, future.step > 0 else {
                throw ElicitationError("future loss: the step \(format(future.step)) must be > 0")
            }
            let quantity = "loss at step \(format(future.step))"
            let points = try validateQuantiles(future.quantiles, quantity: quantity)
            let t = future.step / stepRef
            let targets = points.map { Foundation.log($0.value / lossRef) }
            let probabilities = points.map(\.probability)
            // Free hyperparameters: A's (mu, log sigma); when the exponent question was skipped and
            // its prior is lognormal, also the exponent's log sigma (its median is kept), because the
            // default exponent spread alone makes the loss at 10x far wider than most judgements.
            var free = [amplitude]
            var exponentMedian: Double?
            if judgements.exponent == nil, let name = exponentParameter, case .lognormal(let mu, _) = prior.parameters[name] {
                free.append(name)
                exponentMedian = mu
            }
            let fitSample = PriorPredictive(model: model, prior: prior, count: Self.fitDraws, seed: Self.fitSeed, free: free)
            var start = [-2.0, 0.0]
            if case .lognormal(let mu, let sigma) = prior.parameters[amplitude] { start = [mu, Foundation.log(sigma)] }
            if exponentMedian != nil, let name = exponentParameter, case .lognormal(_, let sigma) = prior.parameters[name] {
                start.append(Foundation.log(sigma))
            }
            let exponentName = exponentParameter ?? ""
            func hyper(_ x: [Double]) -> [String: (mu: Double, sigma: Double)] {
                var h: [String: (mu: Double, sigma: Double)] = [amplitude: (x[0], Foundation.exp(x[1]))]
                if let m = exponentMedian { h[exponentName] = (m, Foundation.exp(x[2])) }
                return h
            }
            let best = nelderMeadMinimize(start: start, step: 0.7, iterations: 400) { x in
                let q = empiricalQuantiles(fitSample.means(at: t, lognormals: hyper(x)), probabilities)
                return zip(q, targets).reduce(0) { s, pair in
                    let r = Foundation.log(pair.0) - pair.1
                    return s + r * r
                } + 1e-6 * x[1...].reduce(0) { $0 + $1 * $1 }  // a whisker of shrinkage keeps the log sigmas finite
            }
            let fitted = hyper(best.point)
            for (name, h) in fitted { prior.parameters[name] = .lognormal(mu: h.mu, sigma: h.sigma) }
            let check = PriorPredictive(model: model, prior: prior, count: Self.reportDraws, seed: Self.reportSeed)
            let implied = empiricalQuantiles(check.means(at: t), probabilities)
            var worst = 0.0
            for (p, q) in zip(points, implied) {
                let row = Row(quantity: quantity, probability: p.probability, asked: p.value, implied: q * lossRef)
                worst = max(worst, row.relativeError)
                rows.append(row)
            }
            if worst > Self.tolerance {
                notes.append(futureNote(points: points, prior: prior, quantity: quantity, worst: worst, said: said))
            }
        }
        prior.description = "Elicited with 'curvecast elicit' (step_ref \(format(stepRef)), loss_ref \(format(lossRef))): "
            + (rows.isEmpty ? "no judgements, the defaults kept." : "judgements on " + Set(rows.map(\.quantity)).sorted().joined(separator: ", ") + "; normalized axes as in Priors/README.md.")
        do {
            try prior.validate(against: model)
        } catch {
            throw ElicitationError("the elicited prior does not fit model '\(model.name)': \(error.message)")
        }
        return Outcome(prior: prior, rows: rows, notes: notes)
    }

    /// Why the future-loss quantiles were missed: the floor bounds the loss from below, else the
    /// spread is more than the amplitude alone can produce with these floor and exponent priors.
    func futureNote(points: [QuantilePoint], prior: PriorSet, quantity: String, worst: Double, said: [String]) -> String {
        if let name = floorParameter, let floor = prior.parameters[name] {
            for p in points where floor.cdf(p.value / lossRef) < p.probability - 0.01 {
                return "\(quantity): inconsistent with the floor: the loss can never go below the floor, but P(floor <= \(format(p.value))) is only \(percent((floor.cdf(p.value / lossRef) * 1000).rounded() / 1000)) while you put the \(percent(p.probability)) quantile of the loss there; lower the floor or raise these losses (worst miss \(percent(worst)))"
            }
        }
        return "\(quantity): only the amplitude A (and the spread of a skipped exponent) is adjusted, and with the \(said.isEmpty ? "default" : "elicited") floor and exponent priors it cannot produce this spread (worst miss \(percent(worst))); revise the floor/exponent judgements or widen/narrow these quantiles"
    }

    /// Quantiles of the prior predictive mean, in loss units, at multiples of the current step.
    public func fanChart(_ prior: PriorSet, multiples: [Double] = [1, 2, 5, 10, 100],
                         probabilities: [Double] = [0.05, 0.25, 0.5, 0.75, 0.95]) -> [(multiple: Double, quantiles: [Double])] {
        let sample = PriorPredictive(model: model, prior: prior, count: Self.reportDraws, seed: Self.reportSeed)
        return multiples.map { m in
            (m, empiricalQuantiles(sample.means(at: m), probabilities).map { $0 * lossRef })
        }
    }
}

func familyName(_ d: PriorDistribution) -> String {
    switch d {
    case .normal: return "normal"
    case .lognormal: return "lognormal"
    case .gamma: return "gamma"
    case .beta: return "beta"
    default: return "distribution"
    }
}

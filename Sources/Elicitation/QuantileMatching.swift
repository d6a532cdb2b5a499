import CurveModels
import Foundation

/// Fits a distribution's two hyperparameters to stated quantiles (quantile matching, as PreliZ's
/// `quartile`/`maxent` helpers do for one family at a time).
///
/// - lognormal: log q_p = mu + sigma z_p with z_p the standard normal quantile, so least squares
///   on log q is a straight-line regression of log q on z (closed form, exact for two quantiles);
/// - normal: the same regression of q on z;
/// - gamma and beta: Nelder-Mead on the logs of the two shape/rate parameters, minimizing the sum
///   of squared log errors of the quantile function (the log makes the fit scale-free);
/// - any other family on a positive parameter is replaced by a lognormal, on a real one by a normal
///   (one-parameter families cannot match two quantiles).
public enum QuantileMatching {
    /// The fitted distribution and how well it reproduces the stated quantiles.
    public struct Fit: Sendable, Hashable {
        public var distribution: PriorDistribution
        /// max over the stated quantiles of |implied - asked| / |asked|.
        public var maximumRelativeError: Double
    }

    public static func fit(
        _ points: [QuantilePoint], family: PriorDistribution, positive: Bool
    ) -> Fit {
        let distribution: PriorDistribution
        switch family {
        case .normal where !positive, .studentT where !positive, .uniform where !positive:
            let (a, b) = regression(points.map { standardNormalQuantile($0.probability) }, points.map(\.value))
            distribution = .normal(mu: a, sigma: max(b, 1e-9))
        case .gamma(let k, let rate):
            let start = [Foundation.log(k), Foundation.log(rate)]
            let best = nelderMeadMinimize(start: start) { x in
                logQuantileError(points, .gamma(shape: Foundation.exp(x[0]), rate: Foundation.exp(x[1])))
            }
            distribution = .gamma(shape: Foundation.exp(best.point[0]), rate: Foundation.exp(best.point[1]))
        case .beta(let a, let b) where points.allSatisfy({ $0.value < 1 }):
            let best = nelderMeadMinimize(start: [Foundation.log(a), Foundation.log(b)]) { x in
                logQuantileError(points, .beta(alpha: Foundation.exp(x[0]), beta: Foundation.exp(x[1])))
            }
            distribution = .beta(alpha: Foundation.exp(best.point[0]), beta: Foundation.exp(best.point[1]))
        default:
            if positive || family.support.lower >= 0 {
                let (a, b) = regression(points.map { standardNormalQuantile($0.probability) },
                                        points.map { Foundation.log($0.value) })
                distribution = .lognormal(mu: a, sigma: max(b, 1e-9))
            } else {
                let (a, b) = regression(points.map { standardNormalQuantile($0.probability) }, points.map(\.value))
                distribution = .normal(mu: a, sigma: max(b, 1e-9))
            }
        }
        let error = points.map { abs(distribution.quantile($0.probability) - $0.value) / abs($0.value) }.max() ?? 0
        return Fit(distribution: distribution, maximumRelativeError: error)
    }

    static func logQuantileError(_ points: [QuantilePoint], _ d: PriorDistribution) -> Double {
        points.reduce(0) { sum, p in
            let r = Foundation.log(d.quantile(p.probability) / p.value)
            return sum + r * r
        }
    }

    /// Least-squares line y = a + b x.
    static func regression(_ x: [Double], _ y: [Double]) -> (Double, Double) {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (xi, yi) in zip(x, y) { sxy += (xi - mx) * (yi - my); sxx += (xi - mx) * (xi - mx) }
        let b = sxy / sxx
        return (my - b * mx, b)
    }
}

/// z_p, the standard normal quantile.
func standardNormalQuantile(_ p: Double) -> Double { PriorDistribution.normal(mu: 0, sigma: 1).quantile(p) }

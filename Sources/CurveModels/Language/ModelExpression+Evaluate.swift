import Foundation

/// Supplies covariates and schedule functionals at a point t (normalized scale, Models/README.md).
///
/// The interpreter calls this; the tape compiler will use vectorized versions of the same quantities.
public protocol CovariateProvider: Sendable {
    /// lr(t) / peak lr.
    func learningRate(at t: Double) -> Double
    /// Area under the normalized learning rate from the first step to t (warmup included),
    /// in units of step_ref (so it equals t under a constant peak learning rate).
    func learningRateArea(at t: Double) -> Double
    /// Tissue et al. (2024) S2(t) = sum_i m_i with m_i = lambda_step m_{i-1} + (lr_{i-1} - lr_i),
    /// in units of step_ref; `lambda` is the decay factor per unit of normalized time
    /// (lambda_step = lambda^(1/step_ref)), in (0, 1).
    func annealArea(lambda: Double, at t: Double) -> Double
    /// Luo et al. (2025) LD(t) / B = sum_k (lr_{k-1} - lr_k) G(lr_k^-gamma S_k(t)),
    /// G(x) = 1 - (C x + 1)^-beta, S_k(t) = area under lr from k to t (units of step_ref), the sum
    /// over steps after warmup. With lr normalized to peak 1 and a non-increasing schedule after
    /// warmup it lies in [0, 1).
    func lrDecaySum(c: Double, beta: Double, gamma: Double, at t: Double) -> Double
}

/// Constant peak learning rate: lr = 1, lr_area = t, no annealing. The default for curves without
/// a schedule.
public struct ConstantLearningRate: CovariateProvider {
    public init() {}
    public func learningRate(at t: Double) -> Double { 1 }
    public func learningRateArea(at t: Double) -> Double { t }
    public func annealArea(lambda: Double, at t: Double) -> Double { 0 }
    public func lrDecaySum(c: Double, beta: Double, gamma: Double, at t: Double) -> Double { 0 }
}

/// The covariate values of one evaluation point.
public struct Covariates: Sendable {
    public var t: Double
    public var provider: any CovariateProvider

    public init(t: Double, provider: any CovariateProvider = ConstantLearningRate()) {
        self.t = t
        self.provider = provider
    }
}

extension ModelExpression {
    /// Evaluates the expression in plain Double arithmetic: the reference for the compiled tape.
    ///
    /// `parameters` holds constrained parameter values, `derived` the values of `let` quantities
    /// (see `ModelDefinition.evaluateMean`). A missing name evaluates to NaN.
    /// `^` is `pow`; `softplus` uses the stable split form.
    public func evaluate(
        parameters: [String: Double], covariates: Covariates, derived: [String: Double] = [:]
    ) -> Double {
        func eval(_ e: ModelExpression) -> Double {
            e.evaluate(parameters: parameters, covariates: covariates, derived: derived)
        }
        switch self {
        case .constant(let value): return value
        case .parameter(let name): return parameters[name] ?? .nan
        case .derived(let name): return derived[name] ?? .nan
        case .covariate(.t): return covariates.t
        case .covariate(.lr): return covariates.provider.learningRate(at: covariates.t)
        case .covariate(.lrArea): return covariates.provider.learningRateArea(at: covariates.t)
        case .negate(let operand): return -eval(operand)
        case .binary(let op, let lhs, let rhs):
            let (x, y) = (eval(lhs), eval(rhs))
            switch op {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply: return x * y
            case .divide: return x / y
            case .power: return Foundation.pow(x, y)
            }
        case .function(let f, let operand):
            let x = eval(operand)
            switch f {
            case .exp: return Foundation.exp(x)
            case .log: return Foundation.log(x)
            case .log1p: return Foundation.log1p(x)
            case .sqrt: return x.squareRoot()
            case .softplus: return StableMath.softplus(x)
            }
        case .annealArea(let lambda):
            return covariates.provider.annealArea(lambda: eval(lambda), at: covariates.t)
        case .lrDecaySum(let c, let beta, let gamma):
            return covariates.provider.lrDecaySum(c: eval(c), beta: eval(beta), gamma: eval(gamma), at: covariates.t)
        }
    }
}

extension ModelDefinition {
    /// Values of the `let` quantities, in dependency order.
    public func evaluateDerived(parameters: [String: Double], covariates: Covariates) -> [String: Double] {
        var values: [String: Double] = [:]
        for quantity in derived {
            values[quantity.name] = quantity.expression.evaluate(
                parameters: parameters, covariates: covariates, derived: values)
        }
        return values
    }

    /// The mean at one point, `let`s included.
    public func evaluateMean(parameters: [String: Double], covariates: Covariates) -> Double {
        mean.evaluate(
            parameters: parameters, covariates: covariates,
            derived: evaluateDerived(parameters: parameters, covariates: covariates))
    }
}

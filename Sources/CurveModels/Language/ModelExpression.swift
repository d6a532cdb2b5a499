/// A mean expression after name resolution: the clean AST handed to the tape compiler.
/// (Not called `Expression`: Foundation has a generic `Expression`, and a client importing both
/// modules would get an ambiguous name.)
///
/// Names are resolved to what they are (parameter, `let` quantity, covariate), calls to their
/// function; source positions are gone (they live in `ModelDefinition.ParseError`s only).
public indirect enum ModelExpression: Sendable, Hashable {
    case constant(Double)
    case parameter(String)
    /// A `let` quantity, defined in `ModelDefinition.derived` (evaluated before the mean).
    case derived(String)
    case covariate(Covariate)
    case negate(ModelExpression)
    case binary(BinaryOperator, ModelExpression, ModelExpression)
    case function(MathFunction, ModelExpression)
    /// Tissue et al. (2024) annealing area S2 at t; `lambda` is a parameter expression.
    case annealArea(lambda: ModelExpression)
    /// Luo et al. (2025) learning-rate decay sum at t; the arguments are parameter expressions.
    case lrDecaySum(c: ModelExpression, beta: ModelExpression, gamma: ModelExpression)
}

/// Data-side inputs of a mean, evaluated at each point (see Models/README.md for the scaling).
public enum Covariate: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Normalized step: step / step_ref, where step_ref is the last fitted step.
    case t
    /// Learning rate at t divided by the peak learning rate.
    case lr
    /// Area under the normalized learning rate up to t (warmup included), in units of step_ref.
    case lrArea = "lr_area"

    public static func < (lhs: Covariate, rhs: Covariate) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case power = "^"
}

/// Scalar functions of one argument.
public enum MathFunction: String, Sendable, Hashable, CaseIterable {
    case exp, log, log1p, sqrt
    /// log(1 + e^x), evaluated as max(x, 0) + log1p(e^-|x|).
    case softplus
}

extension ModelExpression {
    /// Parameters this expression mentions directly (not through `let` quantities).
    public var parameterNames: Set<String> {
        var names: Set<String> = []
        visit { if case .parameter(let name) = $0 { names.insert(name) } }
        return names
    }

    /// `let` quantities this expression mentions directly.
    public var derivedNames: Set<String> {
        var names: Set<String> = []
        visit { if case .derived(let name) = $0 { names.insert(name) } }
        return names
    }

    /// Covariates this expression mentions directly.
    public var covariates: Set<Covariate> {
        var found: Set<Covariate> = []
        visit { if case .covariate(let covariate) = $0 { found.insert(covariate) } }
        return found
    }

    /// Whether the expression calls `anneal_area` or `lr_decay_sum`.
    public var usesScheduleFunctionals: Bool {
        var found = false
        visit {
            switch $0 {
            case .annealArea, .lrDecaySum: found = true
            default: break
            }
        }
        return found
    }

    /// Calls `body` on this node and every node below it, parents first.
    public func visit(_ body: (ModelExpression) -> Void) {
        body(self)
        switch self {
        case .constant, .parameter, .derived, .covariate: break
        case .negate(let operand), .function(_, let operand), .annealArea(let operand):
            operand.visit(body)
        case .binary(_, let lhs, let rhs):
            lhs.visit(body)
            rhs.visit(body)
        case .lrDecaySum(let c, let beta, let gamma):
            c.visit(body)
            beta.visit(body)
            gamma.visit(body)
        }
    }

    /// Replaces every `.derived(name)` by its definition (recursively), giving one tree.
    public func inliningDerived(_ definitions: [String: ModelExpression]) -> ModelExpression {
        switch self {
        case .constant, .parameter, .covariate: return self
        case .derived(let name):
            return definitions[name].map { $0.inliningDerived(definitions) } ?? self
        case .negate(let operand): return .negate(operand.inliningDerived(definitions))
        case .function(let f, let operand): return .function(f, operand.inliningDerived(definitions))
        case .annealArea(let lambda): return .annealArea(lambda: lambda.inliningDerived(definitions))
        case .binary(let op, let lhs, let rhs):
            return .binary(op, lhs.inliningDerived(definitions), rhs.inliningDerived(definitions))
        case .lrDecaySum(let c, let beta, let gamma):
            return .lrDecaySum(
                c: c.inliningDerived(definitions), beta: beta.inliningDerived(definitions),
                gamma: gamma.inliningDerived(definitions))
        }
    }
}

extension ModelExpression: CustomStringConvertible {
    /// Fully parenthesized source form, e.g. `(E + (A * (t ^ (-alpha))))`.
    public var description: String {
        switch self {
        case .constant(let value): return "\(value)"
        case .parameter(let name), .derived(let name): return name
        case .covariate(let covariate): return covariate.rawValue
        case .negate(let operand): return "(-\(operand))"
        case .binary(let op, let lhs, let rhs): return "(\(lhs) \(op.rawValue) \(rhs))"
        case .function(let f, let operand): return "\(f.rawValue)(\(operand))"
        case .annealArea(let lambda): return "anneal_area(\(lambda))"
        case .lrDecaySum(let c, let beta, let gamma): return "lr_decay_sum(\(c), \(beta), \(gamma))"
        }
    }
}

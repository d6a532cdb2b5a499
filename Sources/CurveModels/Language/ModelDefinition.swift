import Foundation

/// A loss-curve law read from a `.model` file: parameters with supports, derived quantities, mean.
///
/// Grammar (statements end at the end of a line; an expression continues onto the next line after
/// a binary operator, an opening parenthesis or a comma; `#` starts a comment):
/// ```
/// file       := 'model' NAME STRING? NEWLINE statement*
/// statement  := 'param' NAME support STRING?
///             | 'let' NAME '=' expression
///             | 'mean' expression                     exactly one per file
/// support    := 'positive' | 'unit' | 'real' | 'interval' '(' signed ',' signed ')'
/// expression := term (('+' | '-') term)*
/// term       := unary (('*' | '/') unary)*
/// unary      := '-' unary | power
/// power      := primary ('^' unary)?                  right-assoc; -x^2 = -(x^2); t^-alpha allowed
/// primary    := NUMBER | NAME | NAME '(' arguments ')' | '(' expression ')'
/// NUMBER     := 12 | 0.5 | .5 | 1e-3 | 2.5E+4
/// ```
/// Names: parameters, `let` names (in any order, no cycles), covariates `t`, `lr`, `lr_area`.
/// Functions: exp, log, log1p, sqrt, softplus (one argument); schedule functionals
/// `anneal_area(lambda)` and `lr_decay_sum(C, beta, gamma)`, whose arguments may only depend on
/// parameters and constants.
/// Checks: unknown names, duplicates, a parameter the mean does not use (unidentifiable), a
/// missing or repeated `mean`, wrong arity, `let` cycles.
public struct ModelDefinition: Sendable, Hashable {
    /// A declared parameter, in declaration order.
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var support: Support
        public var documentation: String
        public var location: SourceLocation
    }

    /// A `let` quantity: a named sub-expression of parameters, covariates and earlier quantities.
    public struct Derived: Sendable, Hashable {
        public var name: String
        public var expression: ModelExpression
    }

    public var name: String
    public var description: String
    public var parameters: [Parameter]
    /// `let` quantities in dependency order: each refers only to quantities before it.
    public var derived: [Derived]
    public var mean: ModelExpression
    /// Covariates the mean needs, through `let`s included.
    public var covariates: Set<Covariate>
    /// Whether the mean calls `anneal_area` or `lr_decay_sum` (then it needs a schedule).
    public var usesScheduleFunctionals: Bool
    /// The file the model came from (for messages).
    public var fileName: String

    public var parameterNames: [String] { parameters.map(\.name) }

    public func parameter(named name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// The mean with every `let` substituted: one tree of parameters, covariates and constants.
    public var inlinedMean: ModelExpression {
        mean.inliningDerived(Dictionary(uniqueKeysWithValues: derived.map { ($0.name, $0.expression) }))
    }

    /// Parses model text; `file` names the source in error messages.
    public static func parse(_ text: String, file: String) throws(ParseError) -> ModelDefinition {
        var parser = try Parser(text: text, file: file)
        let syntax = try parser.parseModel()
        var resolver = Resolver(parser: parser, file: file)
        return try resolver.resolve(syntax)
    }

    /// Reads and parses a `.model` file.
    public static func load(contentsOf url: URL) throws(ParseError) -> ModelDefinition {
        let file = url.lastPathComponent
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ParseError(
                file: url.path, location: SourceLocation(line: 1, column: 1),
                message: "cannot read the file as UTF-8 text (\(error.localizedDescription))")
        }
        return try parse(text, file: file)
    }
}

/// The parse tree of a model file, before names are resolved; every node keeps its position.
struct ExpressionSyntax: Sendable, Hashable {
    indirect enum Kind: Sendable, Hashable {
        case number(Double)
        case name(String)
        case negate(ExpressionSyntax)
        case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax)
        case call(String, [ExpressionSyntax])
    }

    var kind: Kind
    var location: SourceLocation
}

struct ParameterSyntax: Sendable, Hashable {
    var name: String
    var support: Support
    var documentation: String
    var location: SourceLocation
}

struct LetSyntax: Sendable, Hashable {
    var name: String
    var expression: ExpressionSyntax
    var location: SourceLocation
}

struct ModelSyntax: Sendable, Hashable {
    var name: String?
    var description = ""
    var nameLocation = SourceLocation(line: 1, column: 1)
    var parameters: [ParameterSyntax] = []
    var lets: [LetSyntax] = []
    var means: [(expression: ExpressionSyntax, location: SourceLocation)] = []
    var endLocation = SourceLocation(line: 1, column: 1)

    static func == (lhs: ModelSyntax, rhs: ModelSyntax) -> Bool {
        lhs.name == rhs.name && lhs.parameters == rhs.parameters && lhs.lets == rhs.lets
            && lhs.means.map(\.expression) == rhs.means.map(\.expression)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(parameters)
    }
}

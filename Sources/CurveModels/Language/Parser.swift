/// Recursive-descent parser for `.model` files (the grammar is in `ModelDefinition`'s doc comment).
struct Parser {
    private let lexer: Lexer
    private let tokens: [Token]
    private var position = 0

    init(text: String, file: String) throws(ModelDefinition.ParseError) {
        var lexer = Lexer(text: text, file: file)
        self.tokens = try lexer.tokenize()
        self.lexer = lexer
    }

    func error(_ message: String, at location: SourceLocation) -> ModelDefinition.ParseError {
        lexer.error(message, at: location)
    }

    private var current: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isSymbol(_ symbol: Character) -> Bool {
        if case .symbol(let s) = current.kind, s == symbol { return true }
        return false
    }

    private mutating func skipNewlines() {
        while case .newline = current.kind { position += 1 }
    }

    // MARK: Statements

    mutating func parseModel() throws(ModelDefinition.ParseError) -> ModelSyntax {
        var model = ModelSyntax()
        while true {
            skipNewlines()
            let token = current
            guard case .identifier(let keyword) = token.kind else {
                if case .endOfFile = token.kind { break }
                throw error(
                    "expected a statement (model, param, let or mean), found \(token.spelled)",
                    at: token.location)
            }
            _ = advance()
            switch keyword {
            case "model":
                if model.name != nil {
                    throw error(
                        "a file holds one model: 'model' already appeared at \(model.nameLocation);"
                            + " put each model in its own file", at: token.location)
                }
                if !model.parameters.isEmpty || !model.lets.isEmpty || !model.means.isEmpty {
                    throw error(
                        "'model' must be the first statement of the file", at: token.location)
                }
                let (name, _) = try expectIdentifier(what: "a model name after 'model'")
                model.name = name
                model.nameLocation = token.location
                model.description = try optionalString()
            case "param":
                model.parameters.append(try parseParameter(at: token.location))
            case "let":
                let (name, nameLocation) = try expectIdentifier(what: "a name after 'let'")
                try expectSymbol("=", context: "after 'let \(name)', as in 'let \(name) = log(t)'")
                let expression = try parseExpression()
                model.lets.append(LetSyntax(name: name, expression: expression, location: nameLocation))
            case "mean":
                model.means.append((try parseExpression(), token.location))
            default:
                throw error(
                    "unknown statement '\(keyword)'; a line starts with model, param, let or mean",
                    at: token.location)
            }
            if model.name == nil {
                throw error(
                    "the file must start with 'model <name> \"<description>\"'", at: token.location)
            }
            try expectEndOfStatement()
        }
        model.endLocation = current.location
        return model
    }

    private mutating func parseParameter(at location: SourceLocation) throws(ModelDefinition.ParseError)
        -> ParameterSyntax
    {
        let (name, nameLocation) = try expectIdentifier(what: "a parameter name after 'param'")
        let supportToken = current
        guard case .identifier(let supportName) = supportToken.kind else {
            throw error(
                "expected a support after 'param \(name)' (positive, unit, real or interval(a, b)),"
                    + " found \(supportToken.spelled)", at: supportToken.location)
        }
        _ = advance()
        let support: Support
        switch supportName {
        case "positive": support = .positive
        case "unit": support = .unit
        case "real": support = .real
        case "interval":
            let open = current.location
            try expectSymbol("(", context: "after 'interval', as in interval(0, 1)")
            let lower = try parseSignedNumber()
            try expectSymbol(",", context: "between the bounds of interval(a, b)")
            let upper = try parseSignedNumber()
            guard isSymbol(")") else {
                throw error("expected ')' to close '(' opened at \(open)", at: current.location)
            }
            _ = advance()
            guard lower < upper else {
                throw error(
                    "interval(\(lower), \(upper)) is empty: the lower bound must be below the upper bound",
                    at: supportToken.location)
            }
            support = .interval(lower: lower, upper: upper)
        default:
            throw error(
                "unknown support '\(supportName)'; use positive, unit, real or interval(a, b)",
                at: supportToken.location)
        }
        let documentation = try optionalString()
        return ParameterSyntax(name: name, support: support, documentation: documentation, location: nameLocation)
    }

    private mutating func parseSignedNumber() throws(ModelDefinition.ParseError) -> Double {
        var sign = 1.0
        if isSymbol("-") {
            sign = -1
            _ = advance()
        }
        let token = current
        guard case .number(let value) = token.kind else {
            throw error("expected a number, found \(token.spelled)", at: token.location)
        }
        _ = advance()
        return sign * value
    }

    private mutating func optionalString() throws(ModelDefinition.ParseError) -> String {
        if case .string(let text) = current.kind {
            _ = advance()
            return text
        }
        return ""
    }

    private mutating func expectIdentifier(what: String) throws(ModelDefinition.ParseError)
        -> (String, SourceLocation)
    {
        let token = current
        guard case .identifier(let name) = token.kind else {
            throw error("expected \(what), found \(token.spelled)", at: token.location)
        }
        _ = advance()
        return (name, token.location)
    }

    private mutating func expectSymbol(_ symbol: Character, context: String) throws(ModelDefinition.ParseError) {
        guard isSymbol(symbol) else {
            throw error("expected '\(symbol)' \(context), found \(current.spelled)", at: current.location)
        }
        _ = advance()
    }

    private mutating func expectEndOfStatement() throws(ModelDefinition.ParseError) {
        switch current.kind {
        case .newline, .endOfFile: return
        default:
            throw error(
                "unexpected \(current.spelled) after the end of the statement; one statement per line"
                    + " (an expression continues on the next line only after an operator, '(' or ',')",
                at: current.location)
        }
    }

    // MARK: Expressions
    //
    // expression := term (('+' | '-') term)*
    // term       := unary (('*' | '/') unary)*
    // unary      := '-' unary | power
    // power      := primary ('^' unary)?          right-associative; -x^2 = -(x^2), 2^-1 allowed
    // primary    := number | name | name '(' expression (',' expression)* ')' | '(' expression ')'

    mutating func parseExpression() throws(ModelDefinition.ParseError) -> ExpressionSyntax {
        var lhs = try parseTerm()
        while isSymbol("+") || isSymbol("-") {
            let opToken = advance()
            skipNewlines()
            let rhs = try parseTerm()
            let op: BinaryOperator = opToken.kind == .symbol("+") ? .add : .subtract
            lhs = ExpressionSyntax(kind: .binary(op, lhs, rhs), location: opToken.location)
        }
        return lhs
    }

    private mutating func parseTerm() throws(ModelDefinition.ParseError) -> ExpressionSyntax {
        var lhs = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let opToken = advance()
            skipNewlines()
            let rhs = try parseUnary()
            let op: BinaryOperator = opToken.kind == .symbol("*") ? .multiply : .divide
            lhs = ExpressionSyntax(kind: .binary(op, lhs, rhs), location: opToken.location)
        }
        return lhs
    }

    private mutating func parseUnary() throws(ModelDefinition.ParseError) -> ExpressionSyntax {
        if isSymbol("-") {
            let minus = advance()
            let operand = try parseUnary()
            return ExpressionSyntax(kind: .negate(operand), location: minus.location)
        }
        if isSymbol("+") {
            throw error("unary '+' is not supported; remove it", at: current.location)
        }
        return try parsePower()
    }

    private mutating func parsePower() throws(ModelDefinition.ParseError) -> ExpressionSyntax {
        let base = try parsePrimary()
        guard isSymbol("^") else { return base }
        let caret = advance()
        skipNewlines()
        let exponent = try parseUnary()  // right-associative: 2^3^2 = 2^(3^2)
        return ExpressionSyntax(kind: .binary(.power, base, exponent), location: caret.location)
    }

    private mutating func parsePrimary() throws(ModelDefinition.ParseError) -> ExpressionSyntax {
        let token = current
        switch token.kind {
        case .number(let value):
            _ = advance()
            return ExpressionSyntax(kind: .number(value), location: token.location)
        case .identifier(let name):
            _ = advance()
            guard isSymbol("(") else { return ExpressionSyntax(kind: .name(name), location: token.location) }
            let open = advance()
            skipNewlines()
            var arguments: [ExpressionSyntax] = []
            if !isSymbol(")") {
                arguments.append(try parseExpression())
                var end = current
                skipNewlines()
                while isSymbol(",") {
                    _ = advance()
                    skipNewlines()
                    arguments.append(try parseExpression())
                    end = current
                    skipNewlines()
                }
                // Point at where the expression stopped, not past the blank lines after it.
                if !isSymbol(")") {
                    throw error(
                        "expected ')' to close '(' opened at \(open.location) (or ',' before another"
                            + " argument), found \(end.spelled)", at: end.location)
                }
            }
            guard isSymbol(")") else {
                throw error(
                    "expected ')' to close '(' opened at \(open.location), found \(current.spelled)",
                    at: current.location)
            }
            _ = advance()
            return ExpressionSyntax(kind: .call(name, arguments), location: token.location)
        case .symbol("("):
            _ = advance()
            skipNewlines()
            let inner = try parseExpression()
            let end = current
            skipNewlines()
            guard isSymbol(")") else {
                throw error(
                    "expected ')' to close '(' opened at \(token.location), found \(end.spelled)",
                    at: end.location)
            }
            _ = advance()
            return inner
        case .newline, .endOfFile:
            throw error("expression ends too early: expected a number, name or '('", at: token.location)
        default:
            throw error("expected a number, name or '(', found \(token.spelled)", at: token.location)
        }
    }
}

/// Name resolution and the semantic checks of a parsed model (see `ModelDefinition`).
struct Resolver {
    let parser: Parser
    let file: String

    private var parameterLocations: [String: SourceLocation] = [:]
    private var letLocations: [String: SourceLocation] = [:]
    /// Schedule functional arguments, checked for covariates once all `let`s are known.
    private var functionalArguments: [(ExpressionSyntax, ModelExpression)] = []

    init(parser: Parser, file: String) {
        self.parser = parser
        self.file = file
    }

    static let reservedWords: Set<String> = ["model", "param", "let", "mean"]
    static let scheduleFunctionals: [String: Int] = ["anneal_area": 1, "lr_decay_sum": 3]

    private func error(_ message: String, at location: SourceLocation) -> ModelDefinition.ParseError {
        parser.error(message, at: location)
    }

    /// Why `name` cannot be declared, if it is taken by the language.
    private func reservedReason(_ name: String) -> String? {
        if Covariate(rawValue: name) != nil { return "'\(name)' is a covariate" }
        if MathFunction(rawValue: name) != nil || Self.scheduleFunctionals[name] != nil {
            return "'\(name)' is a function"
        }
        if Self.reservedWords.contains(name) { return "'\(name)' is a keyword" }
        if ["positive", "unit", "real", "interval"].contains(name) { return "'\(name)' is a support" }
        return nil
    }

    mutating func resolve(_ syntax: ModelSyntax) throws(ModelDefinition.ParseError) -> ModelDefinition {
        guard let name = syntax.name else {
            throw error("the file is empty; start it with 'model <name> \"<description>\"'", at: syntax.endLocation)
        }
        var parameters: [ModelDefinition.Parameter] = []
        for p in syntax.parameters {
            if let first = parameterLocations[p.name] {
                throw error(
                    "parameter '\(p.name)' is declared twice (first at \(first)); remove or rename one",
                    at: p.location)
            }
            if let reason = reservedReason(p.name) {
                throw error("\(reason) and cannot be a parameter name; choose another name", at: p.location)
            }
            parameterLocations[p.name] = p.location
            parameters.append(
                ModelDefinition.Parameter(
                    name: p.name, support: p.support, documentation: p.documentation, location: p.location))
        }
        for l in syntax.lets {
            if let first = letLocations[l.name] {
                throw error("'\(l.name)' is defined twice by 'let' (first at \(first)); rename one", at: l.location)
            }
            if let first = parameterLocations[l.name] {
                throw error(
                    "'let \(l.name)' clashes with the parameter declared at \(first); rename one", at: l.location)
            }
            if let reason = reservedReason(l.name) {
                throw error("\(reason) and cannot be redefined by 'let'; choose another name", at: l.location)
            }
            letLocations[l.name] = l.location
        }

        var letExpressions: [String: ModelExpression] = [:]
        for l in syntax.lets { letExpressions[l.name] = try resolve(l.expression) }

        guard let meanSyntax = syntax.means.first else {
            throw error(
                "model '\(name)' has no 'mean' statement; add one, e.g. 'mean E + A * t ^ (-alpha)'",
                at: syntax.endLocation)
        }
        if syntax.means.count > 1 {
            throw error(
                "a model has exactly one 'mean' (the first is at \(meanSyntax.location)); use 'let' for"
                    + " intermediate quantities", at: syntax.means[1].location)
        }
        let mean = try resolve(meanSyntax.expression)

        let order = try dependencyOrder(syntax.lets, letExpressions)
        // Transitive closures in dependency order: everything a `let` reaches.
        var letParameters: [String: Set<String>] = [:]
        var letCovariates: [String: Set<Covariate>] = [:]
        for letName in order {
            let expression = letExpressions[letName]!
            var params = expression.parameterNames
            var covariates = expression.covariates
            for dependency in expression.derivedNames {
                params.formUnion(letParameters[dependency]!)
                covariates.formUnion(letCovariates[dependency]!)
            }
            letParameters[letName] = params
            letCovariates[letName] = covariates
        }
        func reach(_ e: ModelExpression) -> (Set<String>, Set<Covariate>) {
            var params = e.parameterNames
            var covariates = e.covariates
            for dependency in e.derivedNames {
                params.formUnion(letParameters[dependency]!)
                covariates.formUnion(letCovariates[dependency]!)
            }
            return (params, covariates)
        }

        for (argumentSyntax, argument) in functionalArguments {
            let (_, covariates) = reach(argument)
            if let covariate = covariates.sorted().first {
                throw error(
                    "schedule functional arguments must depend on parameters only, but this one uses"
                        + " covariate '\(covariate.rawValue)'", at: argumentSyntax.location)
            }
        }

        // Which lets the mean needs, transitively.
        var usedLets: Set<String> = []
        var pending = Array(mean.derivedNames)
        while let next = pending.popLast() {
            if usedLets.insert(next).inserted { pending.append(contentsOf: letExpressions[next]!.derivedNames) }
        }
        for l in syntax.lets where !usedLets.contains(l.name) {
            throw error("'let \(l.name)' is never used by the mean; remove it or use it", at: l.location)
        }
        let (meanParameters, meanCovariates) = reach(mean)
        for p in parameters where !meanParameters.contains(p.name) {
            throw error(
                "parameter '\(p.name)' does not appear in the mean, so the data cannot identify it;"
                    + " use it or remove it", at: p.location)
        }

        var usesFunctionals = mean.usesScheduleFunctionals
        for l in usedLets where letExpressions[l]!.usesScheduleFunctionals { usesFunctionals = true }
        return ModelDefinition(
            name: name, description: syntax.description, parameters: parameters,
            derived: order.map { ModelDefinition.Derived(name: $0, expression: letExpressions[$0]!) },
            mean: mean, covariates: meanCovariates, usesScheduleFunctionals: usesFunctionals, fileName: file)
    }

    /// Topological order of the `let`s (declaration order where free); reports a cycle with its path.
    private func dependencyOrder(_ lets: [LetSyntax], _ expressions: [String: ModelExpression])
        throws(ModelDefinition.ParseError) -> [String]
    {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var order: [String] = []
        var cycle: [String]? = nil

        func visit(_ name: String, path: [String]) {
            if cycle != nil { return }
            switch marks[name] {
            case .done: return
            case .visiting:
                cycle = Array(path[path.firstIndex(of: name)!...]) + [name]
                return
            case nil: break
            }
            marks[name] = .visiting
            for dependency in expressions[name]!.derivedNames.sorted() { visit(dependency, path: path + [name]) }
            marks[name] = .done
            order.append(name)
        }
        for l in lets {
            visit(l.name, path: [])
            if let cycle {
                let start = cycle[0]
                throw error(
                    "'let \(start)' depends on itself (\(cycle.joined(separator: " -> "))); break the cycle",
                    at: letLocations[start]!)
            }
        }
        return order
    }

    private mutating func resolve(_ syntax: ExpressionSyntax) throws(ModelDefinition.ParseError) -> ModelExpression {
        switch syntax.kind {
        case .number(let value):
            return .constant(value)
        case .negate(let operand):
            return .negate(try resolve(operand))
        case .binary(let op, let lhs, let rhs):
            return .binary(op, try resolve(lhs), try resolve(rhs))
        case .name(let name):
            if parameterLocations[name] != nil { return .parameter(name) }
            if letLocations[name] != nil { return .derived(name) }
            if let covariate = Covariate(rawValue: name) { return .covariate(covariate) }
            if MathFunction(rawValue: name) != nil || Self.scheduleFunctionals[name] != nil {
                throw error("'\(name)' is a function; call it with an argument, as in \(name)(x)", at: syntax.location)
            }
            throw error(unknownNameMessage(name), at: syntax.location)
        case .call(let name, let arguments):
            let expected = MathFunction(rawValue: name) != nil ? 1 : Self.scheduleFunctionals[name]
            guard let expected else {
                if parameterLocations[name] != nil || letLocations[name] != nil || Covariate(rawValue: name) != nil {
                    throw error(
                        "'\(name)' is not a function; write '*' for a product, as in \(name) * (...)",
                        at: syntax.location)
                }
                let known = (MathFunction.allCases.map(\.rawValue) + Self.scheduleFunctionals.keys.sorted())
                throw error(
                    "unknown function '\(name)'; available: \(known.joined(separator: ", "))", at: syntax.location)
            }
            guard arguments.count == expected else {
                throw error(
                    "'\(name)' takes \(expected) argument\(expected == 1 ? "" : "s"), got \(arguments.count)",
                    at: syntax.location)
            }
            var resolved: [ModelExpression] = []
            for argument in arguments { resolved.append(try resolve(argument)) }
            if let function = MathFunction(rawValue: name) { return .function(function, resolved[0]) }
            for (argumentSyntax, argument) in zip(arguments, resolved) {
                functionalArguments.append((argumentSyntax, argument))
            }
            if name == "anneal_area" { return .annealArea(lambda: resolved[0]) }
            return .lrDecaySum(c: resolved[0], beta: resolved[1], gamma: resolved[2])
        }
    }

    private func unknownNameMessage(_ name: String) -> String {
        let candidates = parameterLocations.keys.sorted() + letLocations.keys.sorted() + Covariate.allCases.map(\.rawValue)
        var message = "unknown name '\(name)'"
        // Suggest only for names long enough that a near miss is likely a typo.
        if name.count >= 3, let close = candidates.min(by: { editDistance($0, name) < editDistance($1, name) }),
            editDistance(close, name) <= max(2, name.count / 3)
        {
            message += "; did you mean '\(close)'?"
        }
        message += ". Declare it with 'param' or 'let'; covariates are t, lr, lr_area"
        return message
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var row = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = row
    }
    return previous[b.count]
}

import Foundation
import Testing

@testable import CurveModels

/// Parses `mean x + (<expression>)` and evaluates it at x = 0, t = 2.
private func value(_ expression: String) throws -> Double {
    let model = try ModelDefinition.parse("model m\nparam x real\nmean x + (\(expression))\n", file: "m.model")
    return model.evaluateMean(parameters: ["x": 0], covariates: Covariates(t: 2))
}

@Suite struct ParserTests {
    @Test func powerIsRightAssociativeAndBindsTighterThanUnaryMinus() throws {
        #expect(try value("2^3^2") == 512)
        #expect(try value("-2^2") == -4)
        #expect(try value("(-2)^2") == 4)
        #expect(try value("2^-1") == 0.5)
        #expect(try value("-t^2") == -4)
        #expect(try value("2^-1^2") == 0.5)  // 2^(-(1^2))
    }

    @Test func arithmeticPrecedenceAndAssociativity() throws {
        #expect(try value("1 + 2 * 3") == 7)
        #expect(try value("8 / 4 / 2") == 1)
        #expect(try value("10 - 4 - 3") == 3)
        #expect(try value("2 * 3 ^ 2") == 18)
        #expect(try value("- - 3") == 3)
        #expect(try value("-3 * -2") == 6)
    }

    @Test func numbersAndFunctions() throws {
        #expect(try value("1e-3") == 0.001)
        #expect(try value("2.5E+2") == 250)
        #expect(try value(".5") == 0.5)
        #expect(isClose(try value("exp(1)"), M_E))
        #expect(isClose(try value("log(t)"), M_LN2))
        #expect(isClose(try value("log1p(1e-20)"), 1e-20))
        #expect(try value("sqrt(16)") == 4)
        #expect(isClose(try value("softplus(0)"), M_LN2))
        #expect(try value("softplus(1000)") == 1000)
        #expect(try value("softplus(-1000)") == 0)
    }

    @Test func expressionContinuesAfterOperatorParenthesisAndComma() throws {
        let text = """
            model m "multi-line"   # comment after the header
            param E positive "floor"  # comment
            # a full-line comment
            let z = E *
                t
            mean (z +
               1) / exp(
               0)
            """
        let model = try ModelDefinition.parse(text, file: "m.model")
        #expect(model.evaluateMean(parameters: ["E": 2], covariates: Covariates(t: 3)) == 7)
        #expect(model.description == "multi-line")
        #expect(model.parameters[0].documentation == "floor")
    }

    @Test func definitionCollectsParametersLetsAndCovariates() throws {
        let text = """
            model sched "d"
            param a positive
            param lam unit
            param w interval(-1, 2.5)
            let late = early * 2
            let early = a * lr
            mean late + anneal_area(lam) + w * lr_area
            """
        let model = try ModelDefinition.parse(text, file: "sched.model")
        #expect(model.name == "sched")
        #expect(model.parameterNames == ["a", "lam", "w"])
        #expect(model.parameters[2].support == .interval(lower: -1, upper: 2.5))
        #expect(model.derived.map(\.name) == ["early", "late"])  // dependency order
        #expect(model.covariates == [.lr, .lrArea])
        #expect(model.usesScheduleFunctionals)
        #expect(model.inlinedMean.derivedNames.isEmpty)
        #expect(model.inlinedMean.description.contains("anneal_area(lam)"))
    }

    /// Broken snippets with the exact position of the error and a phrase of its message.
    static let brokenSnippets: [(text: String, line: Int, column: Int, phrase: String)] = [
        ("model m\nparam E positive\nmean E * (t + 1\n", 3, 16, "expected ')' to close '(' opened at 3:10"),
        ("model m\nparam E positive\nmean exp(E\n", 3, 11, "to close '(' opened at 3:9"),
        ("model m\nparam E positive\nmean E + alpah\n", 3, 10, "unknown name 'alpah'"),
        ("model m\nparam alpha positive\nmean t ^ -alpah\n", 3, 11, "did you mean 'alpha'?"),
        ("model m\nparam E positive\nparam E real\nmean E\n", 3, 7, "declared twice (first at 2:7)"),
        ("model m\nparam E positive\nparam A positive\nmean E * t\n", 3, 7, "parameter 'A' does not appear in the mean"),
        ("model m\nparam E positive\n", 3, 1, "has no 'mean'"),
        ("model m\nparam E positive\nmean exp(E, t)\n", 3, 6, "'exp' takes 1 argument, got 2"),
        ("model m\nparam E positive\nmean lr_decay_sum(E, E)\n", 3, 6, "'lr_decay_sum' takes 3 arguments, got 2"),
        ("model m\nparam E positive\nlet a = b + E\nlet b = a * 2\nmean a\n", 3, 5, "depends on itself (a -> b -> a)"),
        ("model m\nparam E positive\nlet z = E * q\nmean z\n", 3, 13, "unknown name 'q'"),
        ("model m\nparam E positiv\nmean E\n", 2, 9, "unknown support 'positiv'"),
        ("model m\nparam E positive\nmean E * expp(t)\n", 3, 10, "unknown function 'expp'"),
        ("model m\nparam E positive\nmean E * 1e-\n", 3, 10, "malformed number"),
        ("model m\nparam E positive\nmean E % t\n", 3, 8, "unexpected character '%'"),
        ("model m\nparam E positive\nmean E * anneal_area(t)\n", 3, 22, "covariate 't'"),
        ("model m\nparam E positive\nlet s = t\nmean E * anneal_area(s)\n", 4, 22, "covariate 't'"),
        ("model m\nparam E positive\nmean E\nmean E * t\n", 4, 1, "exactly one 'mean'"),
        ("param E positive\nmean E\n", 1, 1, "must start with 'model"),
        ("model m\nparam E positive\nmean E t\n", 3, 8, "unexpected 't' after the end of the statement"),
        ("model m\nparam t positive\nmean t\n", 2, 7, "'t' is a covariate"),
        ("model m\nparam E interval(2, 1)\nmean E\n", 2, 9, "is empty"),
        ("model m \"unterminated\nparam E positive\nmean E\n", 1, 9, "unterminated string"),
        ("model m\nparam E positive\nlet q = E\nmean E\n", 3, 5, "'let q' is never used"),
        ("model m\nparam E positive\nmean E(t)\n", 3, 6, "'E' is not a function"),
        ("model m\nparam E positive\nmean E *\n", 4, 1, "expression ends too early"),
        ("", 1, 1, "the file is empty"),
    ]

    @Test(arguments: 0..<brokenSnippets.count)
    func errorsNameLineAndColumn(_ index: Int) {
        let snippet = Self.brokenSnippets[index]
        do {
            let model = try ModelDefinition.parse(snippet.text, file: "bad.model")
            Issue.record("snippet \(index) parsed as \(model.name)")
        } catch {
            #expect(error.file == "bad.model")
            #expect(error.line == snippet.line && error.column == snippet.column, "\(error)")
            #expect(error.message.contains(snippet.phrase), "\(error)")
            #expect(error.description.hasPrefix("bad.model:\(snippet.line):\(snippet.column): "))
        }
    }

    @Test func errorDescriptionHasACaretUnderTheColumn() {
        do {
            _ = try ModelDefinition.parse("model m\nparam E positive\nmean E + alpah\n", file: "x.model")
            Issue.record("parsed")
        } catch {
            let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 3)
            #expect(lines[1] == "    mean E + alpah")
            #expect(lines[2] == "    " + String(repeating: " ", count: 9) + "^")
        }
    }
}

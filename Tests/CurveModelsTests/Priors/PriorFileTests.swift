import Foundation
import Testing

@testable import CurveModels

@Suite struct PriorFileTests {
    static let model = try! ModelDefinition.parse(
        "model power_law\nparam E positive\nparam A positive\nparam alpha positive\nmean E + A * t ^ (-alpha)\n",
        file: "power_law.model")

    static let valid = """
        { "model": "power_law",
          "parameters": {
            "E": {"dist": "lognormal", "mu": -0.5, "sigma": 0.6},
            "A": {"dist": "lognormal", "mu": -1.2, "sigma": 1.0, "note": "excess at t = 1"},
            "alpha": {"dist": "gamma", "shape": 2, "rate": 4}
          },
          "noise": {"family": "ar1", "sigma": {"dist": "halfnormal", "sigma": 0.02}, "rho": {"dist": "beta", "alpha": 3, "beta": 1}}
        }
        """

    static func parse(_ text: String) throws(PriorSet.FileError) -> PriorSet {
        let priors = try PriorSet.parse(Data(text.utf8), file: "p.json")
        try priors.validate(against: model)
        return priors
    }

    @Test func validFileParses() throws {
        let priors = try Self.parse(Self.valid)
        #expect(priors.parameters["E"] == .lognormal(mu: -0.5, sigma: 0.6))
        #expect(priors.parameters["alpha"] == .gamma(shape: 2, rate: 4))
        #expect(priors.noise == NoisePrior(family: .ar1, sigma: .halfNormal(sigma: 0.02), rho: .beta(alpha: 3, beta: 1)))
    }

    @Test func jsonRoundTrip() throws {
        let priors = try Self.parse(Self.valid)
        let again = try PriorSet.parse(priors.jsonData(), file: "p.json")
        #expect(again.parameters == priors.parameters)
        #expect(again.noise == priors.noise)
        #expect(again.model == priors.model)
    }

    /// (edit of the valid text, JSON path of the error, phrase of its message)
    static let broken: [(from: String, to: String, path: String, phrase: String)] = [
        ("\"dist\": \"lognormal\", \"mu\": -0.5", "\"dist\": \"lognormall\", \"mu\": -0.5", "$.parameters.E.dist", "unknown distribution 'lognormall'"),
        ("\"mu\": -0.5, \"sigma\": 0.6", "\"mu\": -0.5", "$.parameters.E.sigma", "missing"),
        ("\"sigma\": 0.6", "\"sigma\": -0.6", "$.parameters.E.sigma", "must be > 0"),
        ("\"sigma\": 0.6", "\"sigma\": \"big\"", "$.parameters.E.sigma", "expected a number"),
        ("\"sigma\": 0.6", "\"sigma\": 0.6, \"sd\": 1", "$.parameters.E.sd", "unknown field 'sd'"),
        ("\"alpha\": {\"dist\"", "\"alfa\": {\"dist\"", "$.parameters.alfa", "model 'power_law' has no parameter 'alfa'"),
        ("\"E\": {\"dist\": \"lognormal\", \"mu\": -0.5, \"sigma\": 0.6},", "", "$.parameters", "no prior for parameter 'E'"),
        ("\"family\": \"ar1\"", "\"family\": \"ar2\"", "$.noise.family", "unknown noise family 'ar2'"),
        (", \"rho\": {\"dist\": \"beta\", \"alpha\": 3, \"beta\": 1}", "", "$.noise.rho", "needs a prior for 'rho'"),
        ("\"family\": \"ar1\"", "\"family\": \"gaussian\"", "$.noise.rho", "unknown field 'rho'"),
        ("\"rho\": {\"dist\": \"beta\", \"alpha\": 3, \"beta\": 1}", "\"rho\": {\"dist\": \"uniform\", \"lower\": 0.2, \"upper\": 1}", "$.noise.rho", "support is unit"),
        ("\"model\": \"power_law\"", "\"model\": \"power_law_offset\"", "$.model", "paired with model 'power_law'"),
        ("\"shape\": 2, \"rate\": 4", "\"shape\": 2, \"rate\": 0", "$.parameters.alpha.rate", "must be > 0"),
        ("{ \"model\"", "[ \"model\"", "$", "not valid JSON"),
        ("\"alpha\": {\"dist\": \"gamma\", \"shape\": 2, \"rate\": 4}", "\"alpha\": {\"dist\": \"uniform\", \"lower\": 0.1, \"upper\": 3}", "$.parameters.alpha", "support is positive"),
    ]

    @Test(arguments: 0..<broken.count)
    func errorsNameTheJSONPath(_ index: Int) {
        let edit = Self.broken[index]
        #expect(Self.valid.contains(edit.from), "test edit \(index) does not apply")
        let text = Self.valid.replacingOccurrences(of: edit.from, with: edit.to)
        do {
            _ = try Self.parse(text)
            Issue.record("edit \(index) parsed")
        } catch {
            #expect(error.path == edit.path, "\(error)")
            #expect(error.message.contains(edit.phrase), "\(error)")
            #expect(error.description.hasPrefix("p.json: \(edit.path): "))
        }
    }

    @Test func priorSupportMustCoverTheParameterSupport() throws {
        let model = try ModelDefinition.parse("model m\nparam r real\nparam u unit\nmean r + u * t\n", file: "m.model")
        func check(_ r: PriorDistribution, _ u: PriorDistribution) -> Bool {
            let set = PriorSet(model: "m", parameters: ["r": r, "u": u], noise: NoisePrior(family: .gaussian, sigma: .halfNormal(sigma: 1)))
            return (try? set.validate(against: model)) != nil
        }
        #expect(check(.normal(mu: 0, sigma: 1), .beta(alpha: 2, beta: 2)))
        #expect(check(.studentT(nu: 3, mu: 0, sigma: 1), .uniform(lower: 0, upper: 1)))
        #expect(!check(.lognormal(mu: 0, sigma: 1), .beta(alpha: 2, beta: 2)))
        #expect(!check(.normal(mu: 0, sigma: 1), .uniform(lower: 0.1, upper: 1)))
    }
}

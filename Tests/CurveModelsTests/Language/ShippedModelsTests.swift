import Foundation
import Testing

@testable import CurveModels

@Suite struct ShippedModelsTests {
    static let expectedModels: Set<String> = [
        "power_law", "power_law_offset", "broken_power_law", "broken_power_law_2",
        // Domhan et al. 2015, 11 families
        "vapor_pressure", "pow3", "log_log_linear", "hill3", "log_power", "pow4", "mmf", "exp4",
        "janoschek", "weibull", "ilog2",
        "lr_annealing", "multi_power",
    ]

    static func library() throws -> ModelLibrary { try ModelLibrary.load(directory: Shipped.models) }

    static func defaultPriors(_ model: ModelDefinition) throws -> PriorSet {
        try PriorSet.load(contentsOf: Shipped.priors.appendingPathComponent("\(model.name).json"))
    }

    @Test func everyShippedModelParses() throws {
        let library = try Self.library()
        #expect(Set(library.names) == Self.expectedModels)
        for model in library.models {
            #expect(!model.description.isEmpty, "\(model.name) needs a description")
            #expect(model.parameters.allSatisfy { !$0.documentation.isEmpty }, "\(model.name): document every parameter")
        }
        #expect(try library.model(named: "multi_power").usesScheduleFunctionals)
        #expect(try library.model(named: "power_law").covariates == [.t])
        #expect(try library.model(named: "lr_annealing").covariates == [.lrArea])
    }

    @Test func everyModelHasAMatchingDefaultPrior() throws {
        let library = try Self.library()
        for model in library.models {
            let priors = try Self.defaultPriors(model)
            try priors.validate(against: model)
        }
        let defaults = try PriorSet.loadDefaults(directory: Shipped.priors, for: library)
        #expect(Set(defaults.keys) == Self.expectedModels)
        let priorFiles = try FileManager.default.contentsOfDirectory(atPath: Shipped.priors.path)
            .filter { $0.hasSuffix(".json") }
        #expect(Set(priorFiles.map { String($0.dropLast(5)) }) == Self.expectedModels)
    }

    @Test func unknownModelNameListsTheAvailableOnes() throws {
        let library = try Self.library()
        #expect(throws: ModelLibrary.UnknownModel.self) { try library.model(named: "power_lw") }
        do {
            _ = try library.model(named: "power_lw")
        } catch {
            #expect(error.description.contains("power_law, power_law_offset"))
        }
    }

    @Test func libraryReportsEveryBadFile() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("curvecast-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [
            "good.model": "model good\nparam E positive\nmean E * t\n",
            "bad_syntax.model": "model bad_syntax\nparam E positive\nmean E * (t\n",
            "renamed.model": "# header\nmodel other\nparam E positive\nmean E * t\n",
            "notes.txt": "not a model",
        ]
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        do {
            _ = try ModelLibrary.load(directory: directory)
            Issue.record("loaded a directory with bad files")
        } catch {
            #expect(error.failures.map(\.file) == ["bad_syntax.model", "renamed.model"])
            #expect(error.failures[0].line == 3 && error.failures[0].column == 12)
            #expect(error.failures[1].line == 2 && error.failures[1].message.contains("'other'"))
            #expect(error.partial.names == ["good"])
            #expect(error.description.contains("2 model files"))
        }
        // Default priors for the good model: a missing file is reported with the model's name.
        let library = ModelLibrary(models: [try ModelDefinition.parse("model good\nparam E positive\nmean E * t\n", file: "good.model")])
        #expect(throws: PriorSet.DefaultsError.self) { try PriorSet.loadDefaults(directory: directory, for: library) }
        do {
            _ = try PriorSet.loadDefaults(directory: directory, for: library)
        } catch {
            #expect(error.failures.count == 1 && error.failures[0].message.contains("'good' has no default prior file"))
        }
    }

    /// Means must be positive and finite on the normalized axis for parameter draws from the
    /// default priors (the likelihood takes their log); schedule models see a WSD schedule.
    @Test(arguments: expectedModels.sorted())
    func meansArePositiveAndFiniteUnderPriorDraws(_ name: String) throws {
        let model = try Self.library().model(named: name)
        let priors = try Self.defaultPriors(model)
        let provider: any CovariateProvider =
            model.usesScheduleFunctionals || model.covariates != [.t]
            ? WarmupStableDecaySchedule() : ConstantLearningRate()
        // Log-spaced t from 0.01 to 100; schedule models get fewer points (the stub sums step by step).
        let count = provider is ConstantLearningRate ? 41 : 13
        let grid = (0..<count).map { Foundation.pow(10, -2 + 4 * Double($0) / Double(count - 1)) }
        var random = SeededRandom(seed: 7)
        var atOne: [Double] = [], atStart: [Double] = []
        for _ in 0..<(provider is ConstantLearningRate ? 200 : 60) {
            var parameters: [String: Double] = [:]
            for p in model.parameters { parameters[p.name] = random.draw(priors.parameters[p.name]!) }
            for t in grid {
                let y = model.evaluateMean(parameters: parameters, covariates: Covariates(t: t, provider: provider))
                #expect(y > 0 && y.isFinite, "\(name) at t=\(t) with \(parameters): \(y)")
                // The single inlined tree (what a compiler may emit) computes the same number.
                let inlined = model.inlinedMean.evaluate(parameters: parameters, covariates: Covariates(t: t, provider: provider))
                #expect(inlined == y, "\(name): inlined mean differs")
                if y <= 0 || !y.isFinite { return }
            }
            atOne.append(model.evaluateMean(parameters: parameters, covariates: Covariates(t: 1, provider: provider)))
            atStart.append(model.evaluateMean(parameters: parameters, covariates: Covariates(t: 0.01, provider: provider)))
        }
        // Weakly informative on the normalized scale: the loss at the last fitted step is ~1, and
        // the prior curve typically falls towards it.
        let medianAtOne = atOne.sorted()[atOne.count / 2]
        let medianAtStart = atStart.sorted()[atStart.count / 2]
        #expect(medianAtOne > 0.5 && medianAtOne < 2, "\(name): prior median at t = 1 is \(medianAtOne)")
        #expect(medianAtStart > medianAtOne, "\(name): prior median at t = 0.01 is \(medianAtStart)")
    }

    @Test func interpreterMatchesHandWrittenFormulas() throws {
        let library = try Self.library()
        let t = 3.7
        let c = Covariates(t: t)
        let powerLaw = try library.model(named: "power_law")
        #expect(isClose(powerLaw.evaluateMean(parameters: ["E": 0.6, "A": 0.3, "alpha": 0.45], covariates: c), 0.6 + 0.3 * Foundation.pow(t, -0.45), relative: 1e-14))
        // Broken power law: A is the excess at t = 1, and far from the break the slopes are alpha0 / alpha1.
        let broken = try library.model(named: "broken_power_law")
        let p: [String: Double] = ["E": 0.5, "A": 0.4, "alpha0": 1.2, "alpha1": 0.3, "log_d": -3, "f": 0.2]
        #expect(isClose(broken.evaluateMean(parameters: p, covariates: Covariates(t: 1)), 0.9, relative: 1e-14))
        func slope(_ t: Double) -> Double {
            let h = 1e-4
            let up = broken.evaluateMean(parameters: p, covariates: Covariates(t: t * Foundation.exp(h))) - 0.5
            let down = broken.evaluateMean(parameters: p, covariates: Covariates(t: t * Foundation.exp(-h))) - 0.5
            return (Foundation.log(up) - Foundation.log(down)) / (2 * h)
        }
        #expect(isClose(slope(1e-5), -1.2, relative: 1e-3))
        #expect(isClose(slope(50), -0.3, relative: 1e-3))
        // Caballero et al.'s form, before normalization at t = 1.
        let d = Foundation.exp(-3.0)
        func bnsl(_ t: Double) -> Double { Foundation.pow(t, -1.2) * Foundation.pow(1 + Foundation.pow(t / d, 1 / 0.2), -(0.3 - 1.2) * 0.2) }
        #expect(isClose(broken.evaluateMean(parameters: p, covariates: c), 0.5 + 0.4 * bnsl(t) / bnsl(1), relative: 1e-12))
        let weibull = try library.model(named: "weibull")
        #expect(isClose(weibull.evaluateMean(parameters: ["E": 1, "A": 2, "kappa": 0.5, "delta": 0.7], covariates: c), 1 + 2 * Foundation.exp(-Foundation.pow(0.5 * t, 0.7)), relative: 1e-14))
    }

    @Test func scheduleModelsSeeTheSchedule() throws {
        let library = try Self.library()
        let multiPower = try library.model(named: "multi_power")
        let p: [String: Double] = ["L0": 0.8, "A": 0.2, "alpha": 0.5, "b": 0.1, "C": 50, "beta": 0.6, "gamma": 0.6]
        let schedule = WarmupStableDecaySchedule()
        let constant = multiPower.evaluateMean(parameters: p, covariates: Covariates(t: 0.5, provider: schedule))
        let annealed = multiPower.evaluateMean(parameters: p, covariates: Covariates(t: 1, provider: schedule))
        let ld = schedule.lrDecaySum(c: 50, beta: 0.6, gamma: 0.6, at: 1)
        #expect(ld > 0 && ld < 1)
        #expect(isClose(annealed, 0.8 * (1 - 0.1 * ld) + 0.2 * Foundation.pow(schedule.learningRateArea(at: 1), -0.5), relative: 1e-14))
        #expect(constant > annealed)
        // Before the decay starts the annealing terms vanish.
        #expect(schedule.annealArea(lambda: 0.5, at: 0.5) == 0)
        #expect(schedule.lrDecaySum(c: 1, beta: 1, gamma: 1, at: 0.5) == 0)
    }
}

import CurveModels
import Foundation

/// `curvecast models` and `curvecast priors`: what can be fitted, and with which priors.
struct CatalogCommand {
    typealias Failure = CommandLineTool.Failure

    enum Kind: String { case models, priors }

    var kind: Kind
    var modelsDirectory: String?
    var priorsDirectory: String?

    static func parser(_ kind: Kind) -> ArgumentParser {
        ArgumentParser(command: kind.rawValue, options: [.value("models", "DIR"), .value("priors", "DIR")])
    }

    static func help(_ kind: Kind) -> String {
        let what = kind == .models
            ? "Lists the models that can be fitted: name, parameters (with their supports) and description."
            : "Lists the default prior files: the model, the noise family, and every parameter's distribution\n(model parameters, then the noise parameters)."
        return """
        usage: curvecast \(kind.rawValue) [--models DIR] [--priors DIR]

        \(what)

          --models DIR   the directory of .model files
          --priors DIR   the directory of prior JSON files

        Models and priors are found in this order: --models DIR (priors: --priors DIR, else
        DIR/../Priors if it exists, else DIR itself); the CURVECAST_HOME environment variable
        (CURVECAST_HOME/Models and CURVECAST_HOME/Priors); the repository root (a folder with
        Package.swift and Models/) found by walking up from the current directory, then from the
        executable; finally the copies bundled with the executable.
        """
    }

    init(_ kind: Kind, _ parsed: ArgumentParser.Parsed) throws(Failure) {
        self.kind = kind
        if let extra = parsed.positionals.first {
            throw .usage("unexpected argument '\(extra)'; '\(kind.rawValue)' takes no FILE", command: kind.rawValue)
        }
        modelsDirectory = parsed.string("models")
        priorsDirectory = parsed.string("priors")
    }

    func run(context: CommandLineTool.Context, stdout: TextOutput, stderr: TextOutput) throws(Failure) {
        let directories = try ModelDirectories.locate(modelsOption: modelsDirectory, priorsOption: priorsDirectory, context: context)
        let catalog = ModelCatalog.load(directories)
        for failure in catalog.modelFailures { stderr.line("curvecast: warning: \(failure.description)") }
        switch kind {
        case .models: stdout.line(modelsText(catalog))
        case .priors: stdout.line(priorsText(catalog, stderr: stderr))
        }
    }

    func modelsText(_ catalog: ModelCatalog) -> String {
        var table = TextTable(header: ["model", "parameters", "description"], leftColumns: 3)
        for model in catalog.library.models {
            let parameters = model.parameters.map { "\($0.name) (\($0.support))" }.joined(separator: ", ")
            let needs = model.usesScheduleFunctionals ? " [needs the learning-rate schedule]" : ""
            table.append([model.name, parameters, model.description + needs])
        }
        return "Models in \(catalog.directories.models.path) (\(catalog.directories.origin)):\n\n" + table.rendered
    }

    func priorsText(_ catalog: ModelCatalog, stderr: TextOutput) -> String {
        let directory = catalog.directories.priors
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        var blocks = ["Prior files in \(directory.path) (\(catalog.directories.origin)):"]
        for file in files {
            let prior: PriorSet
            do {
                prior = try PriorSet.load(contentsOf: directory.appendingPathComponent(file))
            } catch {
                stderr.line("curvecast: warning: \(error.description)")
                continue
            }
            let model = try? catalog.library.model(named: prior.model)
            var problem = ""
            if let model {
                do { try prior.validate(against: model) } catch { problem = "  (does not fit its model: \(error.message))" }
            } else {
                problem = "  (no model '\(prior.model)' in \(catalog.directories.models.path))"
            }
            var table = TextTable(header: ["", "", ""], leftColumns: 3)
            let order = model?.parameterNames ?? prior.parameters.keys.sorted()
            for name in order {
                guard let distribution = prior.parameters[name] else { continue }
                table.append(["  " + name, Self.describe(distribution), "parameter"])
            }
            table.append(["  sigma", Self.describe(prior.noise.sigma), "noise"])
            if let nu = prior.noise.nu { table.append(["  nu", Self.describe(nu), "noise"]) }
            if let rho = prior.noise.rho { table.append(["  rho", Self.describe(rho), "noise"]) }
            let body = table.rendered.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
            blocks.append("\n\(prior.model)  (\(file))  noise: \(prior.noise.family.rawValue)\(problem)\n" + body)
        }
        if files.isEmpty { blocks.append("(none)") }
        return blocks.joined(separator: "\n")
    }

    /// `lognormal(mu=-0.5, sigma=0.8)`, with the fields in the prior JSON's order.
    static func describe(_ distribution: PriorDistribution) -> String {
        let object = PriorSet.jsonObject(distribution)
        let name = object["dist"] as? String ?? "?"
        let fields = PriorSet.distributionFieldOrder[name] ?? []
        let arguments = fields.compactMap { field -> String? in
            guard let value = object[field] as? Double else { return nil }
            return "\(field)=\(NumberFormat.significant(value, 6))"
        }
        return "\(name)(\(arguments.joined(separator: ", ")))"
    }
}

extension PriorSet {
    /// The fields of each distribution in the order of Priors/README.md (`PriorSet.distributionFields`
    /// is internal to CurveModels).
    static let distributionFieldOrder: [String: [String]] = [
        "normal": ["mu", "sigma"], "lognormal": ["mu", "sigma"], "halfnormal": ["sigma"],
        "halfcauchy": ["scale"], "beta": ["alpha", "beta"], "gamma": ["shape", "rate"],
        "uniform": ["lower", "upper"], "student_t": ["nu", "mu", "sigma"], "exponential": ["rate"],
    ]
}

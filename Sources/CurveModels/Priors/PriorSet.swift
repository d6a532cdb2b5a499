import Foundation

/// The prior of a model's likelihood noise (on log values; DESIGN.md "Likelihood").
public struct NoisePrior: Sendable, Hashable {
    public enum Family: String, Sendable, Hashable, CaseIterable {
        /// iid normal residuals of log y, scale `sigma`.
        case gaussian
        /// iid Student-t residuals of log y, scale `sigma`, degrees of freedom `nu` (spikes).
        case studentT = "student_t"
        /// AR(1) residuals of log y: innovation scale `sigma`, lag-one correlation `rho` in (0, 1).
        case ar1

        /// The noise parameters this family needs, each with its support.
        public var parameters: [(name: String, support: Support)] {
            switch self {
            case .gaussian: return [("sigma", .positive)]
            case .studentT: return [("sigma", .positive), ("nu", .positive)]
            case .ar1: return [("sigma", .positive), ("rho", .unit)]
            }
        }
    }

    public var family: Family
    public var sigma: PriorDistribution
    /// Present exactly for `studentT`.
    public var nu: PriorDistribution?
    /// Present exactly for `ar1`.
    public var rho: PriorDistribution?

    public init(family: Family, sigma: PriorDistribution, nu: PriorDistribution? = nil, rho: PriorDistribution? = nil) {
        self.family = family
        self.sigma = sigma
        self.nu = nu
        self.rho = rho
    }
}

/// A prior file: one distribution per model parameter plus the noise model (Priors/README.md).
public struct PriorSet: Sendable, Hashable {
    /// A problem in a prior file: the file, the JSON path of the offending value and what to do.
    public struct FileError: Error, Sendable, Hashable, CustomStringConvertible {
        public var file: String
        /// JSON path in `$.parameters.E.sigma` form.
        public var path: String
        public var message: String

        public var description: String { "\(file): \(path): \(message)" }
    }

    public var model: String
    public var description: String
    public var parameters: [String: PriorDistribution]
    public var noise: NoisePrior
    public var fileName: String

    public init(
        model: String, description: String = "", parameters: [String: PriorDistribution], noise: NoisePrior,
        fileName: String = ""
    ) {
        self.model = model
        self.description = description
        self.parameters = parameters
        self.noise = noise
        self.fileName = fileName
    }

    /// Reads and parses a prior JSON file (it is not checked against a model; see `validate`).
    public static func load(contentsOf url: URL) throws(FileError) -> PriorSet {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FileError(file: url.path, path: "$", message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(data, file: url.lastPathComponent)
    }

    /// Checks the priors against the model they are for: same model name, a prior for every
    /// parameter and none for parameters the model lacks, each prior's support covering the
    /// parameter's support (a prior that gives part of the support zero density would trap the sampler).
    public func validate(against model: ModelDefinition) throws(FileError) {
        guard model.name == self.model else {
            throw FileError(
                file: fileName, path: "$.model",
                message: "the priors are for model '\(self.model)' but are paired with model '\(model.name)';"
                    + " use the prior file of '\(model.name)' or fix the \"model\" field")
        }
        for name in parameters.keys.sorted() where model.parameter(named: name) == nil {
            throw FileError(
                file: fileName, path: "$.parameters.\(name)",
                message: "model '\(model.name)' has no parameter '\(name)' (it has \(model.parameterNames.joined(separator: ", ")));"
                    + " remove the entry or fix its name")
        }
        for parameter in model.parameters {
            guard let prior = parameters[parameter.name] else {
                throw FileError(
                    file: fileName, path: "$.parameters",
                    message: "no prior for parameter '\(parameter.name)' (\(parameter.support)) of model"
                        + " '\(model.name)'; add an entry \"\(parameter.name)\": {\"dist\": ...}")
            }
            try Self.checkCovers(prior, parameter.support, file: fileName, path: "$.parameters.\(parameter.name)")
        }
    }

    static func checkCovers(_ prior: PriorDistribution, _ support: Support, file: String, path: String)
        throws(FileError)
    {
        let (lower, upper) = prior.support
        let (needLower, needUpper) = support.bounds
        if lower > needLower || upper < needUpper {
            throw FileError(
                file: file, path: path,
                message: "this prior lives on [\(lower), \(upper)] but the parameter's support is \(support);"
                    + " choose a distribution covering the whole support (see Priors/README.md)")
        }
    }
}

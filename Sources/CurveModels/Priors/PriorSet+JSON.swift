import Foundation

extension PriorSet {
    /// Distribution names and their fields, as written in prior JSON.
    static let distributionFields: [String: [String]] = [
        "normal": ["mu", "sigma"], "lognormal": ["mu", "sigma"], "halfnormal": ["sigma"],
        "halfcauchy": ["scale"], "beta": ["alpha", "beta"], "gamma": ["shape", "rate"],
        "uniform": ["lower", "upper"], "student_t": ["nu", "mu", "sigma"], "exponential": ["rate"],
    ]
    /// Fields that must be strictly positive.
    static let positiveFields: Set<String> = ["sigma", "scale", "alpha", "beta", "shape", "rate", "nu"]

    /// Parses prior JSON; `file` names the source in error messages.
    public static func parse(_ data: Data, file: String) throws(FileError) -> PriorSet {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw FileError(file: file, path: "$", message: "not valid JSON (\(error.localizedDescription))")
        }
        guard let object = root as? [String: Any] else {
            throw FileError(file: file, path: "$", message: "expected a JSON object {\"model\": ..., \"parameters\": ..., \"noise\": ...}")
        }
        try checkKeys(object, allowed: ["model", "description", "parameters", "noise"], file: file, path: "$")
        guard let model = object["model"] as? String, !model.isEmpty else {
            throw FileError(file: file, path: "$.model", message: "missing or not a string; give the model name, e.g. \"model\": \"power_law\"")
        }
        let description = object["description"] as? String ?? ""
        guard let parameterObject = object["parameters"] as? [String: Any] else {
            throw FileError(file: file, path: "$.parameters", message: "missing or not an object; give one distribution per model parameter")
        }
        var parameters: [String: PriorDistribution] = [:]
        for name in parameterObject.keys.sorted() {
            parameters[name] = try parseDistribution(parameterObject[name]!, file: file, path: "$.parameters.\(name)")
        }
        guard let noiseObject = object["noise"] as? [String: Any] else {
            throw FileError(file: file, path: "$.noise", message: "missing or not an object; e.g. {\"family\": \"ar1\", \"sigma\": {...}, \"rho\": {...}}")
        }
        let noise = try parseNoise(noiseObject, file: file)
        return PriorSet(model: model, description: description, parameters: parameters, noise: noise, fileName: file)
    }

    private static func parseNoise(_ object: [String: Any], file: String) throws(FileError) -> NoisePrior {
        let families = NoisePrior.Family.allCases.map(\.rawValue).joined(separator: ", ")
        guard let name = object["family"] as? String else {
            throw FileError(file: file, path: "$.noise.family", message: "missing or not a string; one of \(families)")
        }
        guard let family = NoisePrior.Family(rawValue: name) else {
            throw FileError(file: file, path: "$.noise.family", message: "unknown noise family '\(name)'; one of \(families)")
        }
        let needed = family.parameters
        try checkKeys(object, allowed: ["family", "note"] + needed.map(\.name), file: file, path: "$.noise")
        var priors: [String: PriorDistribution] = [:]
        for (field, support) in needed {
            let path = "$.noise.\(field)"
            guard let value = object[field] else {
                throw FileError(file: file, path: path, message: "missing: the \(name) family needs a prior for '\(field)'")
            }
            let prior = try parseDistribution(value, file: file, path: path)
            try checkCovers(prior, support, file: file, path: path)
            priors[field] = prior
        }
        return NoisePrior(family: family, sigma: priors["sigma"]!, nu: priors["nu"], rho: priors["rho"])
    }

    static func parseDistribution(_ value: Any, file: String, path: String) throws(FileError) -> PriorDistribution {
        let names = distributionFields.keys.sorted().joined(separator: ", ")
        guard let object = value as? [String: Any] else {
            throw FileError(file: file, path: path, message: "expected an object like {\"dist\": \"lognormal\", \"mu\": 0, \"sigma\": 1}")
        }
        guard let dist = object["dist"] as? String else {
            throw FileError(file: file, path: "\(path).dist", message: "missing or not a string; one of \(names)")
        }
        guard let fields = distributionFields[dist] else {
            throw FileError(file: file, path: "\(path).dist", message: "unknown distribution '\(dist)'; one of \(names)")
        }
        try checkKeys(object, allowed: ["dist", "note"] + fields, file: file, path: path)
        var numbers: [String: Double] = [:]
        for field in fields {
            guard let raw = object[field] else {
                throw FileError(
                    file: file, path: "\(path).\(field)",
                    message: "missing: \(dist) needs \(fields.map { "'\($0)'" }.joined(separator: ", "))")
            }
            guard let number = raw as? NSNumber, !(raw is String) else {
                throw FileError(file: file, path: "\(path).\(field)", message: "expected a number")
            }
            let x = number.doubleValue
            guard x.isFinite else {
                throw FileError(file: file, path: "\(path).\(field)", message: "must be finite")
            }
            if positiveFields.contains(field) && x <= 0 {
                throw FileError(
                    file: file, path: "\(path).\(field)",
                    message: "must be > 0, got \(x); \(field == "sigma" || field == "scale" ? "a scale" : "this parameter") is positive")
            }
            numbers[field] = x
        }
        switch dist {
        case "normal": return .normal(mu: numbers["mu"]!, sigma: numbers["sigma"]!)
        case "lognormal": return .lognormal(mu: numbers["mu"]!, sigma: numbers["sigma"]!)
        case "halfnormal": return .halfNormal(sigma: numbers["sigma"]!)
        case "halfcauchy": return .halfCauchy(scale: numbers["scale"]!)
        case "beta": return .beta(alpha: numbers["alpha"]!, beta: numbers["beta"]!)
        case "gamma": return .gamma(shape: numbers["shape"]!, rate: numbers["rate"]!)
        case "student_t": return .studentT(nu: numbers["nu"]!, mu: numbers["mu"]!, sigma: numbers["sigma"]!)
        case "exponential": return .exponential(rate: numbers["rate"]!)
        default:
            let (lower, upper) = (numbers["lower"]!, numbers["upper"]!)
            guard lower < upper else {
                throw FileError(file: file, path: "\(path).upper", message: "must be above lower (\(lower)), got \(upper)")
            }
            return .uniform(lower: lower, upper: upper)
        }
    }

    private static func checkKeys(_ object: [String: Any], allowed: [String], file: String, path: String) throws(FileError) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw FileError(
                file: file, path: "\(path).\(key)",
                message: "unknown field '\(key)'; allowed here: \(allowed.joined(separator: ", "))")
        }
    }

    /// The JSON form of a distribution (inverse of parsing).
    public static func jsonObject(_ prior: PriorDistribution) -> [String: Any] {
        switch prior {
        case .normal(let mu, let sigma): return ["dist": "normal", "mu": mu, "sigma": sigma]
        case .lognormal(let mu, let sigma): return ["dist": "lognormal", "mu": mu, "sigma": sigma]
        case .halfNormal(let sigma): return ["dist": "halfnormal", "sigma": sigma]
        case .halfCauchy(let scale): return ["dist": "halfcauchy", "scale": scale]
        case .beta(let a, let b): return ["dist": "beta", "alpha": a, "beta": b]
        case .gamma(let k, let rate): return ["dist": "gamma", "shape": k, "rate": rate]
        case .uniform(let lower, let upper): return ["dist": "uniform", "lower": lower, "upper": upper]
        case .studentT(let nu, let mu, let sigma): return ["dist": "student_t", "nu": nu, "mu": mu, "sigma": sigma]
        case .exponential(let rate): return ["dist": "exponential", "rate": rate]
        }
    }

    /// Pretty-printed JSON with sorted keys, readable by `parse` (used when saving elicited priors).
    public func jsonData() -> Data {
        var noiseObject: [String: Any] = ["family": noise.family.rawValue, "sigma": Self.jsonObject(noise.sigma)]
        if let nu = noise.nu { noiseObject["nu"] = Self.jsonObject(nu) }
        if let rho = noise.rho { noiseObject["rho"] = Self.jsonObject(rho) }
        var object: [String: Any] = [
            "model": model, "parameters": parameters.mapValues(Self.jsonObject), "noise": noiseObject,
        ]
        if !description.isEmpty { object["description"] = description }
        // Serializing these plain dictionaries cannot fail.
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    }
}

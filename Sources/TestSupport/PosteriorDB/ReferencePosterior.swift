import Autodiff
import Foundation

/// One posterior of ../shared/data/posteriordb: its log density on the unconstrained space as a
/// tape, the map from unconstrained draws to the reported quantities, and the reference summary.
public struct ReferencePosterior: Sendable {
    /// The posteriordb name, e.g. "eight_schools-eight_schools_noncentered".
    public let name: String
    public let tape: Tape
    /// Names of the reported quantities, in the order `report` returns them.
    public let reportedNames: [String]
    /// Unconstrained point -> reported (constrained or derived) values.
    public let report: @Sendable ([Double]) -> [Double]
    /// Reference summary per reported name.
    public let reference: [String: ReferenceSummary]
    /// Whether Stan's own runs of this model are known to report divergences.
    public let divergencesExpected: Bool
}

/// posteriordb's gold-standard summary of one quantity.
public struct ReferenceSummary: Decodable, Sendable {
    public let mean: Double
    public let sd: Double
    public let q05: Double
    public let q95: Double
    public let mcseMean: Double

    enum CodingKeys: String, CodingKey {
        case mean, sd, q05, q95
        case mcseMean = "mcse_mean"
    }
}

extension ReferencePosterior {
    /// The five posteriors, in the order of the data README.
    public static let names = [
        "eight_schools-eight_schools_noncentered", "kidiq-kidscore_momiq", "arK-arK",
        "garch-garch11", "low_dim_gauss_mix-low_dim_gauss_mix",
    ]

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case malformed(file: String, field: String)
        public var description: String {
            switch self {
            case .missing(let f): return "\(f): not found; the posteriordb data lives in ../shared/data/posteriordb"
            case .malformed(let f, let field): return "\(f): field '\(field)' is missing or has the wrong type"
            }
        }
    }

    /// Loads a posterior by name (see `names`).
    public static func load(_ name: String) throws -> ReferencePosterior {
        let all = try loadReferenceSummaries()
        guard let reference = all[name] else { throw LoadError.malformed(file: "reference_summaries.json", field: name) }
        switch name {
        case names[0]: return try eightSchools(reference)
        case names[1]: return try kidiq(reference)
        case names[2]: return try arK(reference)
        case names[3]: return try garch11(reference)
        case names[4]: return try gaussMix(reference)
        default: throw LoadError.malformed(file: "reference_summaries.json", field: name)
        }
    }

    static func loadReferenceSummaries() throws -> [String: [String: ReferenceSummary]] {
        let url = RepositoryPaths.sharedFile("posteriordb/reference_summaries.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { throw LoadError.missing(url.path) }
        return try JSONDecoder().decode([String: [String: ReferenceSummary]].self, from: data)
    }

    /// The JSON object of a posteriordb data file.
    static func dataFile(_ file: String) throws -> [String: Any] {
        let url = RepositoryPaths.sharedFile("posteriordb/\(file)")
        guard let data = FileManager.default.contents(atPath: url.path) else { throw LoadError.missing(url.path) }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LoadError.malformed(file: file, field: "(top level)")
        }
        return object
    }

    static func numbers(_ object: [String: Any], _ key: String, file: String) throws -> [Double] {
        guard let values = object[key] as? [NSNumber] else { throw LoadError.malformed(file: file, field: key) }
        return values.map(\.doubleValue)
    }

    static func number(_ object: [String: Any], _ key: String, file: String) throws -> Double {
        guard let value = object[key] as? NSNumber else { throw LoadError.malformed(file: file, field: key) }
        return value.doubleValue
    }
}

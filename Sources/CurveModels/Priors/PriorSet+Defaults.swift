import Foundation

extension PriorSet {
    /// Some models lack a valid default prior file; every problem is listed, good pairs are kept.
    public struct DefaultsError: Error, Sendable, CustomStringConvertible {
        public var failures: [FileError]
        public var partial: [String: PriorSet]

        public var description: String {
            "\(failures.count) default prior file\(failures.count == 1 ? "" : "s") failed:\n"
                + failures.map(\.description).joined(separator: "\n")
        }
    }

    /// Loads `<directory>/<model>.json` for every model of the library and validates each against
    /// its model, reporting every missing or bad file rather than the first.
    public static func loadDefaults(directory: URL, for library: ModelLibrary) throws(DefaultsError) -> [String: PriorSet] {
        var priors: [String: PriorSet] = [:]
        var failures: [FileError] = []
        for model in library.models {
            let url = directory.appendingPathComponent("\(model.name).json")
            guard FileManager.default.fileExists(atPath: url.path) else {
                failures.append(
                    FileError(
                        file: url.path, path: "$",
                        message: "model '\(model.name)' has no default prior file; write one (see Priors/README.md)"))
                continue
            }
            do {
                let set = try load(contentsOf: url)
                try set.validate(against: model)
                priors[model.name] = set
            } catch {
                failures.append(error)
            }
        }
        if !failures.isEmpty { throw DefaultsError(failures: failures, partial: priors) }
        return priors
    }
}

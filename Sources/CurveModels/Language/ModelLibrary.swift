import Foundation

/// The models of a directory of `.model` files, with every bad file reported rather than the first.
public struct ModelLibrary: Sendable {
    /// Loading found bad files; each keeps its own error. The good ones are in `partial`.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var directory: String
        public var failures: [ModelDefinition.ParseError]
        public var partial: ModelLibrary

        public var description: String {
            "\(failures.count) model file\(failures.count == 1 ? "" : "s") in \(directory) failed to load:\n"
                + failures.map(\.description).joined(separator: "\n")
        }
    }

    /// A name that no loaded model has.
    public struct UnknownModel: Error, Sendable, CustomStringConvertible {
        public var name: String
        public var available: [String]
        public var description: String {
            "no model named '\(name)'; available: \(available.joined(separator: ", "))"
        }
    }

    /// Models by name, sorted by name.
    public private(set) var models: [ModelDefinition]

    public init(models: [ModelDefinition]) {
        self.models = models.sorted { $0.name < $1.name }
    }

    public var names: [String] { models.map(\.name) }

    public func model(named name: String) throws(UnknownModel) -> ModelDefinition {
        guard let model = models.first(where: { $0.name == name }) else {
            throw UnknownModel(name: name, available: names)
        }
        return model
    }

    /// Loads every `*.model` file of `directory` (not recursive). A model's name must match its
    /// file name (`power_law.model` holds `model power_law`), so that names are unique.
    public static func load(directory: URL) throws(LoadError) -> ModelLibrary {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "model" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            let failure = ModelDefinition.ParseError(
                file: directory.path, location: SourceLocation(line: 1, column: 1),
                message: "cannot list the directory (\(error.localizedDescription))")
            throw LoadError(directory: directory.path, failures: [failure], partial: ModelLibrary(models: []))
        }
        var models: [ModelDefinition] = []
        var failures: [ModelDefinition.ParseError] = []
        for file in files {
            do {
                let model = try ModelDefinition.load(contentsOf: file)
                let stem = file.deletingPathExtension().lastPathComponent
                if model.name != stem {
                    let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                    let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false)
                        .first { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") && !$0.isEmpty }
                    let line = text.split(separator: "\n", omittingEmptySubsequences: false)
                        .firstIndex { $0 == firstLine }.map { $0 + 1 } ?? 1
                    failures.append(
                        ModelDefinition.ParseError(
                            file: file.lastPathComponent, location: SourceLocation(line: line, column: 1),
                            message: "the model is named '\(model.name)' but the file is '\(stem).model';"
                                + " rename one so they match", sourceLine: firstLine.map(String.init) ?? ""))
                    continue
                }
                models.append(model)
            } catch {
                failures.append(error)
            }
        }
        let library = ModelLibrary(models: models)
        if !failures.isEmpty { throw LoadError(directory: directory.path, failures: failures, partial: library) }
        return library
    }
}

import CurveModels
import Forecasting
import Foundation

/// Where the model and prior files are, and how they were found.
///
/// The order (the first that applies wins):
/// 1. `--models DIR`; its priors come from `--priors DIR`, else `DIR/../Priors` if that exists,
///    else `DIR` itself (prior JSON files kept next to the model files);
/// 2. the `CURVECAST_HOME` environment variable: `$CURVECAST_HOME/Models` and `$CURVECAST_HOME/Priors`;
/// 3. the repository root: the first folder holding both `Package.swift` and `Models/`, walking up
///    from the current directory, then from the executable's folder;
/// 4. the copies of Models/ and Priors/ bundled with the executable (`Bundle.module`).
/// `--priors DIR` replaces the priors folder whichever way the models were found.
struct ModelDirectories: Equatable {
    var models: URL
    var priors: URL
    /// How they were found, for messages: `--models`, `CURVECAST_HOME`, `repository /path`, `bundled`.
    var origin: String

    typealias Failure = CommandLineTool.Failure

    static func locate(
        modelsOption: String?, priorsOption: String?, context: CommandLineTool.Context
    ) throws(Failure) -> ModelDirectories {
        var found = try locateModels(modelsOption, context: context)
        if let priorsOption {
            let url = context.resolve(priorsOption)
            guard isDirectory(url) else {
                throw Failure("--priors \(priorsOption): no such directory; give the folder of prior JSON files")
            }
            found.priors = url
        }
        return found
    }

    private static func locateModels(_ option: String?, context: CommandLineTool.Context) throws(Failure) -> ModelDirectories {
        if let option {
            let url = context.resolve(option)
            guard isDirectory(url) else {
                throw Failure("--models \(option): no such directory; give the folder of .model files")
            }
            let sibling = url.standardizedFileURL.deletingLastPathComponent().appendingPathComponent("Priors")
            return ModelDirectories(models: url, priors: isDirectory(sibling) ? sibling : url, origin: "--models")
        }
        if let home = context.environment["CURVECAST_HOME"], !home.isEmpty {
            let root = context.resolve(home)
            let models = root.appendingPathComponent("Models"), priors = root.appendingPathComponent("Priors")
            guard isDirectory(models) else {
                throw Failure("CURVECAST_HOME=\(home) has no Models/ folder; point it at a folder holding Models/ and Priors/, or unset it")
            }
            return ModelDirectories(models: models, priors: priors, origin: "CURVECAST_HOME")
        }
        var starts = [context.currentDirectory]
        if let executable = context.executable { starts.append(executable.deletingLastPathComponent()) }
        for start in starts {
            if let root = repositoryRoot(above: start) {
                return ModelDirectories(models: root.appendingPathComponent("Models"),
                                        priors: root.appendingPathComponent("Priors"), origin: "repository \(root.path)")
            }
        }
        if let bundled = bundled() { return bundled }
        throw Failure.runtime("no Models/ folder found (no --models, no CURVECAST_HOME, no repository, no bundled copy); pass --models DIR")
    }

    /// The copies bundled as resources.
    static func bundled() -> ModelDirectories? {
        guard let models = Bundle.module.url(forResource: "Models", withExtension: nil),
              let priors = Bundle.module.url(forResource: "Priors", withExtension: nil) else { return nil }
        return ModelDirectories(models: models, priors: priors, origin: "bundled")
    }

    /// The first folder at or above `start` holding Package.swift and a Models/ folder.
    static func repositoryRoot(above start: URL) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            let manager = FileManager.default
            if manager.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
               isDirectory(folder.appendingPathComponent("Models")) {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path || folder.path == "/" { return nil }
            folder = parent
        }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }
}

/// The loaded model library and default priors, with the problems found while loading.
struct ModelCatalog {
    var directories: ModelDirectories
    var library: ModelLibrary
    var priors: [String: PriorSet]
    /// Bad model files (the good ones are in `library`).
    var modelFailures: [ModelDefinition.ParseError]
    /// Missing or bad default prior files, by model name.
    var priorFailures: [String: PriorSet.FileError]

    static func load(_ directories: ModelDirectories) -> ModelCatalog {
        let library: ModelLibrary
        var modelFailures: [ModelDefinition.ParseError] = []
        do {
            library = try ModelLibrary.load(directory: directories.models)
        } catch {
            library = error.partial
            modelFailures = error.failures
        }
        var priors: [String: PriorSet] = [:]
        var priorFailures: [String: PriorSet.FileError] = [:]
        do {
            priors = try PriorSet.loadDefaults(directory: directories.priors, for: library)
        } catch {
            priors = error.partial
            for failure in error.failures {
                if let model = library.models.first(where: { (failure.file as NSString).lastPathComponent == "\($0.name).json" }) {
                    priorFailures[model.name] = failure
                }
            }
        }
        return ModelCatalog(directories: directories, library: library, priors: priors,
                            modelFailures: modelFailures, priorFailures: priorFailures)
    }

    /// Refuses a `--model` value (nil: auto) naming a model the library does not have; "A+B"
    /// names each of A and B (`ForecastRequest.modelNames`).
    func checkModel(_ model: String?, command: String) throws(CommandLineTool.Failure) {
        for name in model.map(ForecastRequest.modelNames) ?? [] where !library.names.contains(name) {
            throw .usage("unknown model '\(name)'; available: \(library.names.joined(separator: ", "))", command: command)
        }
    }
}

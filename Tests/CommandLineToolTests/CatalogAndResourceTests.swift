import Foundation
import Testing
import TestSupport
@testable import CommandLineTool

@Suite("models, priors and the bundled resources")
struct CatalogAndResourceTests {
    @Test func modelsListsShippedModels() {
        let outcome = runCLI(["models"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("power_law ") && $0.contains("E (positive), A (positive), alpha (positive)") && $0.contains("L(t) = E + A * t^-alpha") })
        #expect(lines.contains { $0.hasPrefix("broken_power_law ") })
    }

    @Test func priorsListsPowerLaw() {
        let outcome = runCLI(["priors"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("power_law  (power_law.json)  noise: ar1\n  E      lognormal(mu=-0.5, sigma=0.8)  parameter\n"))
        #expect(outcome.stdout.contains("  rho    beta(alpha=3, beta=1)          noise"))
    }

    @Test func modelsOptionAndDirectoryRules() throws {
        // A models folder of its own, with the priors next to the model files.
        let directory = temporaryDirectory()
        let root = RepositoryPaths.root
        try FileManager.default.copyItem(at: root.appendingPathComponent("Models/power_law.model"), to: directory.appendingPathComponent("power_law.model"))
        try FileManager.default.copyItem(at: root.appendingPathComponent("Priors/power_law.json"), to: directory.appendingPathComponent("power_law.json"))
        let models = runCLI(["models", "--models", directory.path], in: directory)
        #expect(models.status == 0)
        #expect(models.stdout.contains("power_law ") && !models.stdout.contains("broken_power_law"))
        let priors = runCLI(["priors", "--models", directory.path], in: directory)
        #expect(priors.stdout.contains("power_law  (power_law.json)"))
        let missing = runCLI(["models", "--models", "/nonexistent"])
        #expect(missing.status == 2 && missing.stderr.contains("--models /nonexistent: no such directory"))

        let context = CommandLineTool.Context(environment: ["CURVECAST_HOME": root.path], currentDirectory: URL(fileURLWithPath: "/"), executable: nil)
        let home = try ModelDirectories.locate(modelsOption: nil, priorsOption: nil, context: context)
        #expect(home.origin == "CURVECAST_HOME" && home.models.lastPathComponent == "Models")
        let nowhere = CommandLineTool.Context(environment: [:], currentDirectory: URL(fileURLWithPath: "/"), executable: nil)
        #expect(try ModelDirectories.locate(modelsOption: nil, priorsOption: nil, context: nowhere).origin == "bundled")
        let repository = try ModelDirectories.locate(modelsOption: nil, priorsOption: nil, context: .init(
            environment: [:], currentDirectory: root.appendingPathComponent("Sources/CommandLineTool"), executable: nil))
        #expect(repository.origin == "repository \(root.standardizedFileURL.path)")
    }

    @Test func bundledModelsAndPriorsMatchTheTopLevelFolders() throws {
        let bundled = try #require(ModelDirectories.bundled())
        for (copy, name) in [(bundled.models, "Models"), (bundled.priors, "Priors")] {
            let original = RepositoryPaths.root.appendingPathComponent(name)
            let manager = FileManager.default
            let files = try manager.contentsOfDirectory(atPath: original.path).sorted()
            let copied = try manager.contentsOfDirectory(atPath: copy.path).sorted()
            #expect(files == copied, "bundled \(name) differs: copy Models/ and Priors/ to Sources/CommandLineTool/Resources/")
            for file in files {
                let a = try Data(contentsOf: original.appendingPathComponent(file))
                let b = try? Data(contentsOf: copy.appendingPathComponent(file))
                #expect(a == b, "bundled \(name)/\(file) differs from the top-level one: copy it to Sources/CommandLineTool/Resources/\(name)/")
            }
        }
    }

    @Test func bundledDemoCurveLoads() throws {
        let url = try #require(DemoCurve.url)
        let folder = url.deletingLastPathComponent()
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("LICENSE").path))
        let source = try String(contentsOf: folder.appendingPathComponent("SOURCE.md"), encoding: .utf8)
        #expect(source.contains("mcleish7/gemstone-scaling-laws") && source.contains("MIT"))
        let context = CommandLineTool.Context(environment: [:], currentDirectory: URL(fileURLWithPath: "/"), executable: nil)
        var options = try CurveOptions(ArgumentParser.Parsed(positionals: [url.path]), command: "fit", allowsDemo: false)
        options.inputFormat = .csv
        let curve = try CurveLoader.load(path: url.path, options: options, context: context) { _ in }
        #expect(curve.steps.count == 175 && curve.steps.first == 477 && curve.steps.last == 83475)
        // The copy is the corpus file, byte for byte, when the shared data is present.
        let original = RepositoryPaths.sharedFile("curves/gemstones/constant/256x23.csv")
        if let corpus = try? Data(contentsOf: original) { #expect(try Data(contentsOf: url) == corpus) }
    }

    @Test func demoRunsFromAnyDirectory() throws {
        let outcome = runCLI(["demo", "--format", "json"] + tinySettings, in: URL(fileURLWithPath: "/"))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        #expect(object["fit_until"] as? Double == 16695)
        let forecasts = try #require(object["forecasts"] as? [[String: Any]])
        #expect(forecasts.compactMap { $0["step"] as? Double } == [25281, 33390, 50085, 83475, 166950])
        #expect(forecasts[3]["observed"] as? Double == 3.3751885891)
        #expect(forecasts[4]["observed"] is NSNull)
    }
}

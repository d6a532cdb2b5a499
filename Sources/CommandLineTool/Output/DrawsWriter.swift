import Forecasting
import Foundation
import Sampling

/// Writes a fit's draws and summary to a directory (`fit --save DIR`), never overwriting an
/// existing file unless `force`.
///
/// Files: `draws_MODEL.csv` per component (header `chain,draw,NAME...,lp__,accept_stat__,
/// stepsize__,treedepth__,n_leapfrog__,divergent__,energy__`, chains and draws from 1, parameters
/// on their constrained scale, full precision, then Stan's per-draw sampler columns, so divergences
/// can be located in parameter space) and `summary.json` (the `fit --format json` object). Every
/// target is checked before anything is written, so a refused save writes nothing.
struct DrawsWriter {
    typealias Failure = CommandLineTool.Failure

    var directory: URL
    var shownDirectory: String
    var force: Bool

    init(directory path: String, force: Bool, context: CommandLineTool.Context) throws(Failure) {
        directory = context.resolve(path)
        shownDirectory = path
        self.force = force
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw Failure("--save \(path): exists and is not a directory; choose a directory")
        }
    }

    static func fileNames(models: [String]) -> [String] {
        models.map { "draws_\($0).csv" } + ["summary.json"]
    }

    /// Refuses (unless `force`) when a file the save would write exists.
    func checkTargets(models: [String]) throws(Failure) {
        let names = Self.fileNames(models: models)
        if !force {
            for name in names where FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
                throw Failure("--save \(shownDirectory): \(shown(name)) already exists; pass --force to overwrite it, or choose another --save directory")
            }
        }
    }

    /// Writes the files; returns their paths as shown to the user.
    func write(_ fitting: CurveFitting) throws(Failure) -> [String] {
        let names = Self.fileNames(models: fitting.result.components.map { $0.fit.posterior.model.name })
        try checkTargets(models: fitting.result.components.map { $0.fit.posterior.model.name })
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .runtime("--save \(shownDirectory): cannot create the directory (\(error.localizedDescription))")
        }
        var contents: [(String, String)] = []
        for component in fitting.result.components {
            let fit = component.fit
            var text = (["chain", "draw"] + fit.posterior.parameterNames + Self.samplerColumns).joined(separator: ",") + "\n"
            for (c, chain) in fit.chains.enumerated() {
                for i in 0..<chain.draws.rows {
                    let u = chain.draws.row(i)
                    let x = fit.posterior.constrain(u)
                    text += "\(c + 1),\(i + 1)," + (x.map(NumberFormat.exact) + Self.samplerValues(chain.statistics[i])).joined(separator: ",") + "\n"
                }
            }
            contents.append(("draws_\(fit.posterior.model.name).csv", text))
        }
        contents.append(("summary.json", FitReport.json(fitting).rendered() + "\n"))
        for (name, text) in contents {
            do {
                try Data(text.utf8).write(to: directory.appendingPathComponent(name), options: .atomic)
            } catch {
                throw .runtime("--save \(shownDirectory): cannot write \(name) (\(error.localizedDescription))")
            }
        }
        return names.map(shown)
    }

    /// Stan's names for the per-draw sampler statistics (`TransitionInfo`).
    static let samplerColumns = ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"]

    static func samplerValues(_ info: TransitionInfo) -> [String] {
        [NumberFormat.exact(info.logDensity), NumberFormat.exact(info.acceptStat), NumberFormat.exact(info.stepSize),
         String(info.treeDepth), String(info.leapfrogSteps), info.divergent ? "1" : "0", NumberFormat.exact(info.energy)]
    }

    private func shown(_ name: String) -> String {
        (shownDirectory as NSString).appendingPathComponent(name)
    }
}

import Foundation

/// Fits saved to disk, so that a replay can be re-run with other thresholds, votes, orders or
/// baselines without fitting again, and an interrupted replay resumes (`curvecast replay --cache DIR`).
///
/// One file per run and horizon: a fit depends only on the run's points up to a step, the horizon
/// and the forecaster's settings for the run (its model, and the schedule a schedule-aware model
/// follows: `BayesianReplayForecaster.settingsDescription(for:)`), so a run's fits serve every
/// population it is in (the half-lr runs alone and with the constant-LR ones) and every
/// checkpoint grid. Each file holds the key it
/// was written for (the run's id, length, last point, the horizon, the settings) and is only read
/// back for the same key.
extension ReplayForecastTable {
    struct CacheFile: Codable {
        struct Entry: Codable {
            var index: Int
            var forecast: ReplayForecast?
        }

        var key: String
        var entries: [Entry]
        var seconds: Double
    }

    /// Describes the forecaster's settings for a run (they may depend on the run's schedule).
    public typealias ForecasterDescription = (ReplayRun) -> String

    /// The key of run r's fits for a forecaster described by `forecaster`.
    func cacheKey(run r: Int, forecaster: ForecasterDescription) -> String {
        let run = population.runs[r]
        return ["v3", run.id, "\(run.steps.count)", "\(run.steps.last ?? 0)", "\(run.values.last ?? 0)",
                "\(population.horizon)", forecaster(run)].joined(separator: "|")
    }

    /// The file for `key` in `directory`: replay-HASH.json, HASH the 64-bit FNV-1a of the key.
    public static func cacheFile(key: String, in directory: URL) -> URL {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return directory.appendingPathComponent("replay-" + String(hash, radix: 16) + ".json")
    }

    /// Adds the fits saved in `directory` for this table's runs; returns how many.
    @discardableResult
    public func load(from directory: URL, forecaster: ForecasterDescription) -> Int {
        var count = 0
        for r in population.runs.indices {
            let key = cacheKey(run: r, forecaster: forecaster)
            guard let data = FileManager.default.contents(atPath: Self.cacheFile(key: key, in: directory).path),
                  let file = try? JSONDecoder().decode(CacheFile.self, from: data), file.key == key else { continue }
            store(file.entries.map { (r, $0.index, Fitted(forecast: $0.forecast)) }, seconds: file.seconds)
            count += file.entries.count
        }
        return count
    }

    /// Saves every run's fits in `directory` (created if needed), one file per run, atomically.
    public func save(in directory: URL, forecaster: ForecasterDescription) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let all = entries
        for r in population.runs.indices {
            let mine = all.filter { $0.run == r }
            guard !mine.isEmpty else { continue }
            let key = cacheKey(run: r, forecaster: forecaster)
            let file = CacheFile(key: key, entries: mine.map { CacheFile.Entry(index: $0.index, forecast: $0.fit.forecast) },
                                 seconds: mine.reduce(0) { $0 + $1.seconds })
            try JSONEncoder().encode(file).write(to: Self.cacheFile(key: key, in: directory), options: .atomic)
        }
    }
}

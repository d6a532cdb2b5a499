import Foundation

/// Fits saved to disk, so that a replay can be re-run with other thresholds, votes, orders or
/// baselines without fitting again (`curvecast replay --cache DIR`).
///
/// The file holds the key it was written for (the population, its runs and horizon, the
/// checkpoint grid and the forecaster's settings); fits are only read back for the same key.
extension ReplayForecastTable {
    struct CacheFile: Codable {
        struct Entry: Codable {
            var run: Int
            var index: Int
            var forecast: ReplayForecast?
        }

        var key: String
        var entries: [Entry]
        var seconds: Double
    }

    /// The key of `population` fitted on `grid` by a forecaster described by `forecaster`.
    public static func cacheKey(_ population: ReplayPopulation, grid: ReplayCheckpoints, forecaster: String) -> String {
        let runs = population.runs.map { "\($0.id):\($0.steps.count):\($0.steps.last ?? 0):\($0.values.last ?? 0)" }
        return ["v2", population.name, "\(population.horizon)", runs.joined(separator: ","),
                "points \(grid.minimumPoints) warmup \(grid.warmupSteps) growth \(grid.growth)", forecaster].joined(separator: "|")
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

    /// Adds the fits saved for `key` in `directory`, if any; returns how many.
    @discardableResult
    public func load(key: String, from directory: URL) -> Int {
        guard let data = FileManager.default.contents(atPath: Self.cacheFile(key: key, in: directory).path),
              let file = try? JSONDecoder().decode(CacheFile.self, from: data), file.key == key else { return 0 }
        store(file.entries.map { ($0.run, $0.index, Fitted(forecast: $0.forecast)) }, seconds: file.seconds)
        return file.entries.count
    }

    /// Saves every fit for `key` in `directory` (created if needed), atomically.
    public func save(key: String, in directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = CacheFile(key: key, entries: entries.map { CacheFile.Entry(run: $0.run, index: $0.index, forecast: $0.fit.forecast) },
                             seconds: seconds)
        try JSONEncoder().encode(file).write(to: Self.cacheFile(key: key, in: directory), options: .atomic)
    }
}

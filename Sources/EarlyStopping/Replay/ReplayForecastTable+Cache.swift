import Foundation


/// A forecast table saved to disk, so that a replay can be re-run with other thresholds, votes,
/// orders or baselines without fitting again (`curvecast replay --cache DIR`).
///
/// The file holds the key it was written for (the population, its runs and horizon, the
/// checkpoint grid and the forecaster's settings); a table is only read back for the same key.
extension ReplayForecastTable {
    struct CacheFile: Codable {
        var key: String
        var checkpoints: [[Int]]
        var forecasts: [[ReplayForecast?]]
        var seconds: Double
    }

    /// The key of `population` fitted on `grid` by a forecaster described by `forecaster`.
    public static func cacheKey(_ population: ReplayPopulation, grid: ReplayCheckpoints, forecaster: String) -> String {
        let runs = population.runs.map { "\($0.id):\($0.steps.count):\($0.steps.last ?? 0):\($0.values.last ?? 0)" }
        return ["v1", population.name, "\(population.horizon)", runs.joined(separator: ","),
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

    /// The table saved for `key` in `directory`, if there is one.
    public static func cached(key: String, in directory: URL) -> ReplayForecastTable? {
        guard let data = FileManager.default.contents(atPath: cacheFile(key: key, in: directory).path),
              let file = try? JSONDecoder().decode(CacheFile.self, from: data), file.key == key,
              file.checkpoints.map(\.count) == file.forecasts.map(\.count) else { return nil }
        return ReplayForecastTable(checkpoints: file.checkpoints, forecasts: file.forecasts, seconds: file.seconds)
    }

    /// Saves the table for `key` in `directory` (created if needed), atomically.
    public func save(key: String, in directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = try JSONEncoder().encode(CacheFile(key: key, checkpoints: checkpoints, forecasts: forecasts, seconds: seconds))
        try data.write(to: Self.cacheFile(key: key, in: directory), options: .atomic)
    }
}

import Foundation

/// Locations of the repository and of the shared real data, for tests and benchmarks.
///
/// Tests read `../shared/data` relative to the project root (see the data README); the root is
/// found from this source file's path, so tests work from any working directory.
public enum RepositoryPaths {
    /// The package root (the folder holding Package.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    /// `../shared/data` next to the repository (override with the CURVECAST_SHARED_DATA variable).
    public static var sharedData: URL {
        if let env = ProcessInfo.processInfo.environment["CURVECAST_SHARED_DATA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return root.deletingLastPathComponent().appendingPathComponent("shared/data")
    }

    /// A file under the shared data folder, e.g. `sharedFile("stan-diagnostics/bern1.csv")`.
    public static func sharedFile(_ relative: String) -> URL { sharedData.appendingPathComponent(relative) }
}

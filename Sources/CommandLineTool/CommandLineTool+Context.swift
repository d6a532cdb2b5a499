import Foundation

extension CommandLineTool {
    /// What a run sees of its process: environment, working directory and executable. Tests pass
    /// their own to control where models are looked for.
    public struct Context: Sendable {
        public var environment: [String: String]
        public var currentDirectory: URL
        /// The executable's path (its folder is searched for the repository root).
        public var executable: URL?

        public init(environment: [String: String], currentDirectory: URL, executable: URL?) {
            self.environment = environment
            self.currentDirectory = currentDirectory
            self.executable = executable
        }

        /// The running process's.
        public static var process: Context {
            let arg0 = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath() }
            return Context(environment: ProcessInfo.processInfo.environment,
                           currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                           executable: Bundle.main.executableURL ?? arg0)
        }

        /// A path the user gave: `~` expanded, relative paths against the current directory.
        func resolve(_ path: String) -> URL {
            let expanded = (path as NSString).expandingTildeInPath
            if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded) }
            return currentDirectory.appendingPathComponent(expanded)
        }
    }
}

import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The release `curvecast watch` as a child process of a benchmark: started with a runs and a
/// state folder, reached over its API, stopped with SIGTERM or killed with SIGKILL.
final class DaemonProcess {
    let runs: URL
    let state: URL
    let listen: LoopbackHTTPClient.Address
    let extraArguments: [String]
    let logFile: URL
    private(set) var process: Process?
    /// Every process id the daemon had (one per start).
    private(set) var allPIDs: Set<Int32> = []
    /// CPU seconds of the daemon's earlier processes (killed or stopped).
    private var earlierCPU = 0.0

    /// The `curvecast` executable next to this benchmark's (same build configuration).
    static var executable: URL {
        let bench = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return bench.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("curvecast")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(runs: URL, state: URL, listen: LoopbackHTTPClient.Address, arguments: [String], logFile: URL) {
        self.runs = runs
        self.state = state
        self.listen = listen
        extraArguments = arguments
        self.logFile = logFile
    }

    /// `--listen` for the address.
    private var listenArgument: String {
        switch listen {
        case .unix(let path): return "unix:\(path)"
        case .tcp(let port): return "tcp:127.0.0.1:\(port)"
        }
    }

    /// Starts the daemon and waits until /healthz answers; returns the seconds that took.
    @discardableResult
    func start(timeout: Double = 30) throws -> Double {
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            throw Failure(description: "\(Self.executable.path) not found: build it first with 'swift build -c release --product curvecast'")
        }
        if !FileManager.default.fileExists(atPath: logFile.path) { _ = FileManager.default.createFile(atPath: logFile.path, contents: nil) }
        let log = try FileHandle(forWritingTo: logFile)
        try log.seekToEnd()
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["watch", "--runs", runs.path, "--state", state.path, "--listen", listenArgument] + extraArguments
        process.standardError = log
        process.standardOutput = log
        let started = Clock.now()
        try process.run()
        self.process = process
        allPIDs.insert(process.processIdentifier)
        let client = LoopbackHTTPClient(listen, timeout: 2)
        while Clock.now() - started < timeout {
            if let response = try? client.request("GET", "/healthz"), response.status == 200 { return Clock.now() - started }
            guard process.isRunning else { throw Failure(description: "the daemon exited with status \(process.terminationStatus); see \(logFile.path)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw Failure(description: "the daemon did not answer /healthz within \(timeout) s; see \(logFile.path)")
    }

    var pid: Int32 { process?.processIdentifier ?? -1 }
    var isRunning: Bool { process?.isRunning ?? false }

    /// SIGKILL, and waits for the process to be gone.
    func kill9() {
        guard let process else { return }
        earlierCPU += currentCPU
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGTERM; returns the seconds until the process exited and its status.
    func terminate(timeout: Double = 10) -> (seconds: Double, status: Int32?) {
        guard let process else { return (0, nil) }
        earlierCPU += currentCPU
        let started = Clock.now()
        process.terminate()
        while process.isRunning, Clock.now() - started < timeout { Thread.sleep(forTimeInterval: 0.01) }
        let seconds = Clock.now() - started
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            self.process = nil
            return (seconds, nil)
        }
        self.process = nil
        return (seconds, process.terminationStatus)
    }

    /// CPU seconds (user + system) the daemon's processes have used so far, from /proc.
    var cpuSeconds: Double { earlierCPU + currentCPU }

    private var currentCPU: Double { MachineLoad.cpuSeconds(pid: pid) ?? 0 }

    /// A free TCP port on 127.0.0.1 (bound and released; the daemon binds it right after).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Monotonic seconds.
enum Clock {
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

import Foundation

/// The state folder's layout and its reads and writes:
/// ```
/// STATE/decisions/RUN.json   the published decision of each run (the public interface)
/// STATE/runs/RUN.json        the daemon's private per-run state (`RunState`)
/// STATE/pushed/RUN.jsonl     points pushed with POST /runs/RUN/points, one JSON object per line
/// STATE/api.sock             the default Unix socket
/// ```
/// Decisions and run states are written with `AtomicFile` (temp file, fsync, rename, fsync of the
/// folder); pushed points are appended and fsynced before the API acknowledges them. On start,
/// temporary files left by a crash are deleted and everything else is read back.
struct StateStore: Sendable {
    let root: URL

    var decisionsFolder: URL { root.appendingPathComponent("decisions") }
    var runsFolder: URL { root.appendingPathComponent("runs") }
    var pushedFolder: URL { root.appendingPathComponent("pushed") }

    /// Why the state folder cannot be used.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// Creates the folders and deletes stale temporary files; returns how many were deleted.
    func prepare() throws(Failure) -> Int {
        for folder in [root, decisionsFolder, runsFolder, pushedFolder] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw Failure(description: "\(folder.path): cannot create the state folder (\(error.localizedDescription)); check --state and its permissions")
            }
            guard FileManager.default.isWritableFile(atPath: folder.path) else {
                throw Failure(description: "\(folder.path): not writable; give a state folder the daemon can write")
            }
        }
        return [decisionsFolder, runsFolder, pushedFolder].reduce(0) { $0 + AtomicFile.removeTemporaries(in: $1) }
    }

    func decisionFile(_ run: String) -> URL { decisionsFolder.appendingPathComponent(run + ".json") }
    func stateFile(_ run: String) -> URL { runsFolder.appendingPathComponent(run + ".json") }
    func pushedFile(_ run: String) -> URL { pushedFolder.appendingPathComponent(run + ".jsonl") }

    /// Publishes a decision (a line of JSON).
    func writeDecision(_ bytes: [UInt8], run: String) throws(AtomicFile.Failure) {
        try AtomicFile.write(bytes + [0x0A], to: decisionFile(run))
    }

    /// Saves a run's private state, atomically but without fsync: it only saves work after a
    /// restart (a lost update means a colder refit and a restarted vote streak).
    func writeState(_ state: RunState) throws(AtomicFile.Failure) {
        let data: Data
        do { data = try JSONEncoder().encode(state) } catch {
            throw AtomicFile.Failure(path: stateFile(state.run).path, operation: "encode", reason: "\(error)")
        }
        try AtomicFile.write([UInt8](data), to: stateFile(state.run), durable: false)
    }

    /// The decisions on disk that parse as JSON objects, by run id (without the trailing newline).
    func loadDecisions() -> [String: [UInt8]] {
        var decisions: [String: [UInt8]] = [:]
        for (run, url) in files(in: decisionsFolder, extension: "json") {
            guard let data = try? Data(contentsOf: url),
                  (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] != nil else { continue }
            var bytes = [UInt8](data)
            while bytes.last == 0x0A { bytes.removeLast() }
            decisions[run] = bytes
        }
        return decisions
    }

    /// The run states on disk; files of another version or that do not decode are skipped.
    func loadStates() -> [String: RunState] {
        var states: [String: RunState] = [:]
        for (run, url) in files(in: runsFolder, extension: "json") {
            guard let data = try? Data(contentsOf: url),
                  let state = try? JSONDecoder().decode(RunState.self, from: data),
                  state.version == RunState.currentVersion, state.run == run else { continue }
            states[run] = state
        }
        return states
    }

    /// The pushed runs: id and points file.
    func pushedRuns() -> [(run: String, url: URL)] {
        files(in: pushedFolder, extension: "jsonl")
    }

    /// Appends pushed points (JSON lines) durably. A half-written line left by a crash (never
    /// acknowledged: the API answers only after the fsync) is cut off first.
    func appendPushed(_ lines: [UInt8], run: String) throws(AtomicFile.Failure) {
        try AtomicFile.dropIncompleteLastLine(pushedFile(run))
        try AtomicFile.appendDurably(lines, to: pushedFile(run))
    }

    private func files(in folder: URL, extension wanted: String) -> [(run: String, url: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            guard !name.hasPrefix("."), name.hasSuffix("." + wanted) else { return nil }
            let run = String(name.dropLast(wanted.count + 1))
            guard RunID.isValid(run) else { return nil }
            return (run, folder.appendingPathComponent(name))
        }
    }
}

import Foundation

/// The daemon's answers to the API, read from the registry (and, for pushes, written to the
/// state folder).
struct DaemonAPI: APIBackend {
    let registry: RunRegistry
    let scheduler: FitScheduler
    let publisher: DecisionPublisher
    let store: StateStore
    let fitter: RunFitter
    let startedAt: Double
    /// Asks the watcher to poll now (after a push).
    let wakeWatcher: @Sendable () -> Void
    let counts: @Sendable () -> (served: Int, refused: Int)

    func health() -> JSON {
        let records = registry.allRecords()
        let fits = scheduler.counts
        let requests = counts()
        return .object([
            ("status", .string("ok")), ("runs", .integer(records.count)),
            ("runs_with_errors", .integer(records.filter { $0.problem != nil || $0.fitProblem != nil }.count)),
            ("fits_running", .integer(fits.running)), ("fits_waiting", .integer(fits.waiting)),
            ("fits_done", .integer(records.reduce(0) { $0 + $1.state.memory.fits })),
            ("write_failures", .integer(publisher.writeFailures)),
            ("requests_served", .integer(requests.served)), ("requests_refused", .integer(requests.refused)),
            ("uptime_seconds", .number((FitScheduler.monotonicSeconds() - startedAt).rounded())),
        ])
    }

    func runList() -> JSON {
        .object([("runs", .array(registry.allRecords().map(summary)))])
    }

    func runDetail(_ id: String) -> JSON? {
        guard let record = registry.record(id) else { return nil }
        guard case .object(var members) = summary(record) else { return nil }
        var fit = JSON.null
        if let fitted = record.fit {
            fit = .object([
                ("points", .integer(fitted.points)), ("last_step", .number(fitted.lastStep)),
                ("model", .string(fitted.outcome.result.modelLabel)), ("warm", .bool(fitted.outcome.warm)),
                ("seconds", .number(fitted.outcome.seconds)), ("cpu_seconds", .number(fitted.outcome.cpuSeconds)),
                ("discrepancy_rate", .number(fitted.outcome.result.discrepancyRate)),
                ("diagnostics_pass", .bool(fitted.outcome.result.diagnosticsPass)),
            ])
        }
        members += [
            ("issues", .array(record.issues.map(JSON.string))), ("fit_error", .string(record.fitProblem)),
            ("fits", .integer(record.state.memory.fits)), ("stop_votes", .integer(record.state.stopVotes)),
            ("last_fit", fit), ("decision_file", .string(store.decisionFile(id).path)),
            ("decision_record", record.decision.map { JSON.encoded($0.bytes) } ?? .null),
        ]
        return .object(members)
    }

    private func summary(_ record: RunRecord) -> JSON {
        .object([
            ("id", .string(record.id)), ("source", .string(record.source)), ("origin", .string(record.origin.rawValue)),
            ("format", .string(record.format?.rawValue)), ("points", .integer(record.steps.count)),
            ("last_step", .number(record.steps.last)), ("decision", .string(record.decision?.verdict)),
            ("probability", .number(record.decision?.probability)), ("decision_last_step", .number(record.decision?.lastStep)),
            ("error", .string(record.problem ?? record.fitProblem)), ("missing", .bool(record.missing)),
        ])
    }

    func decision(_ id: String) -> Result<[UInt8], HTTPError> {
        // The hot path reads the board only (see `DecisionBoard`).
        if let bytes = publisher.board[id] { return .success(bytes) }
        guard registry.record(id) != nil else {
            return .failure(HTTPError(status: 404, message: "no run '\(id.prefix(200))'; GET /runs lists the runs"))
        }
        return .failure(HTTPError(status: 503, message: "run '\(id)' has no decision yet; retry in a moment"))
    }

    func forecast(_ id: String, steps: [Double]?, levels: [Double]?) -> Result<JSON, HTTPError> {
        guard let record = registry.record(id) else {
            return .failure(HTTPError(status: 404, message: "no run '\(id.prefix(200))'; GET /runs lists the runs"))
        }
        if let problem = record.problem {
            return .failure(HTTPError(status: 409, message: "run '\(id)' has an error, so no forecast: \(problem)"))
        }
        guard let fitted = record.fit else {
            if record.steps.count < DecisionPublisher.minimumFitPoints {
                return .failure(HTTPError(status: 409, message: "run '\(id)' has \(record.steps.count) point(s); a forecast needs \(DecisionPublisher.minimumFitPoints)"))
            }
            return .failure(HTTPError(status: 503, message: "run '\(id)' has not been fitted yet; retry in a moment"))
        }
        let wanted = steps ?? [fitter.study.horizon]
        do {
            let forecasts = try fitter.forecast(fitted.outcome.result, at: wanted, levels: levels ?? RunFitter.levels)
            return .success(.object([
                ("run", .string(id)), ("metric", .string(fitter.study.metric)),
                ("fitted_points", .integer(fitted.points)), ("fitted_last_step", .number(fitted.lastStep)),
                ("model", .string(fitted.outcome.result.modelLabel)),
                ("diagnostics_pass", .bool(fitted.outcome.result.diagnosticsPass)),
                ("forecasts", .array(forecasts.map(\.json))),
            ]))
        } catch {
            return .failure(HTTPError(status: 500, message: "forecasting failed: \(error)"))
        }
    }

    func push(_ id: String, points: [PushedPoint]) -> Result<JSON, HTTPError> {
        guard RunID.isValid(id) else {
            return .failure(HTTPError(status: 400, message: "'\(id.prefix(200))' is not a run id: use 1 to \(RunID.maximumLength) characters from A-Z a-z 0-9 . _ - (not starting with '.')"))
        }
        let file = store.pushedFile(id)
        guard registry.registerPushed(id, source: file.path) else {
            return .failure(HTTPError(status: 409, message: "run '\(id)' is followed from its log (\(registry.record(id)?.source ?? "")); push to another id"))
        }
        var lines: [UInt8] = []
        for point in points {
            lines += JSON.object([("step", .number(point.step)), ("value", .number(point.value))]).bytes + [0x0A]
        }
        do {
            try store.appendPushed(lines, run: id)
        } catch {
            return .failure(HTTPError(status: 500, message: "cannot store the points: \(error)"))
        }
        wakeWatcher()
        return .success(.object([("run", .string(id)), ("accepted", .integer(points.count)), ("file", .string(file.path))]))
    }
}

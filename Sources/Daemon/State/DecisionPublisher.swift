import EarlyStopping
import Foundation

/// Turns a run's record (and its fit, if any) into a `DecisionRecord`, records it in the
/// registry (the API serves it from there at once) and queues the decision file and the run's
/// state for the `DecisionWriter`.
///
/// One decision is made at a time, each from a fresh read of the run's record, so that a fit that
/// finishes after its run's log turned bad does not replace the error decision.
final class DecisionPublisher: @unchecked Sendable {
    /// Points a curve model needs (`CurveData` refuses fewer).
    static let minimumFitPoints = 3

    let registry: RunRegistry
    let study: StudyConfiguration
    /// The decisions as the API serves them.
    let board: DecisionBoard
    private let writer: DecisionWriter
    private let lock = NSLock()

    init(registry: RunRegistry, board: DecisionBoard, writer: DecisionWriter, study: StudyConfiguration) {
        self.registry = registry
        self.board = board
        self.writer = writer
        self.study = study
    }

    /// Decision or state writes that failed so far.
    var writeFailures: Int { writer.writeFailures }

    /// Whether the run needs a fit: it has enough points, no problem, and has not reached the horizon.
    func needsFit(_ record: RunRecord) -> Bool {
        record.problem == nil && record.steps.count >= Self.minimumFitPoints && (record.lastStep ?? 0) < study.horizon
    }

    /// Publishes the decision of a run that needs no fit (an error, too few points, the horizon
    /// reached); returns false, publishing nothing, when the run needs a fit instead.
    @discardableResult
    func publishWithoutFit(_ id: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let record = registry.record(id), !needsFit(record) else { return false }
        var decision = base(record)
        if let problem = record.problem {
            decision.verdict = .error
            decision.error = problem
            decision.reason = "the run's log cannot be used; fix it and the run is fitted again: \(problem)"
        } else if record.steps.count < Self.minimumFitPoints {
            decision.reason = "waiting for points: \(record.steps.count) of \(Self.minimumFitPoints) needed for a forecast"
        } else {
            decision.reason = "the run reached the horizon (step \(JSON.format(study.horizon))); nothing is left to decide"
        }
        write(decision, record: record, state: nil)
        return true
    }

    /// Publishes the decision of a successful fit of the points the record had at `version`.
    func publishFit(_ id: String, outcome: RunFitter.Outcome, version: Int, points: Int, lastStep: Double) {
        lock.lock()
        defer { lock.unlock() }
        // The run may have turned bad or reached the horizon while it was fitted: keep that decision.
        guard let record = registry.record(id), needsFit(record) else { return }
        var decision = base(record)
        // The decision describes the points the fit saw.
        decision.points = points
        decision.lastStep = lastStep
        decision.lastValue = record.steps.count >= points && points > 0 ? record.values[points - 1] : decision.lastValue
        decision.forecast = HorizonForecast(step: study.horizon, draws: outcome.horizonDraws, levels: RunFitter.levels)
        decision.model = DecisionRecord.model(outcome)
        decision.diagnostics = DecisionRecord.diagnostics(outcome.result, decision: nil)
        var state = record.state
        state.memory = outcome.memory
        if let target = registry.target(for: id, study: study) {
            decision.target = target
            // The vote is trusted when every chain (a lone chain: each half) votes as all draws do
            // and few transitions diverged (`DecisionDiagnostics`), not only when every parameter
            // passes R-hat and ESS, which one cheap chain practically never does.
            let rule = study.rule
            let checked = DecisionDiagnostics.assess(draws: outcome.horizonDraws, of: outcome.result) {
                rule.votesStop($0, target: target.value, direction: study.direction)
            }
            decision.diagnostics = DecisionRecord.diagnostics(outcome.result, decision: checked)
            var verdict = rule.decide(
                horizonDraws: outcome.horizonDraws, target: target.value, direction: study.direction,
                observedSteps: Array(record.steps.prefix(points)), diagnosticsPass: checked.pass,
                previousStopVotes: record.state.stopVotes)
            if !checked.pass { verdict.reason += " (decision diagnostics: " + checked.problems.joined(separator: "; ") + ")" }
            decision.verdict = verdict.verdict == .stop ? .stop : .continue
            decision.probability = verdict.probability
            decision.stopVotes = verdict.stopVotes
            decision.reason = verdict.reason
        } else {
            decision.reason = "no target yet: no run has reached the horizon and no other run has a forecast there"
        }
        state.stopVotes = decision.stopVotes
        registry.modify(id) { record in
            record.fit = FittedRun(outcome: outcome, version: version, points: points, lastStep: lastStep)
            record.fitProblem = nil
        }
        write(decision, record: record, state: state)
    }

    /// Publishes an error decision for a fit that failed.
    func publishFitFailure(_ id: String, message: String) {
        lock.lock()
        defer { lock.unlock() }
        guard let record = registry.record(id), needsFit(record) else { return }
        var decision = base(record)
        decision.verdict = .error
        decision.error = message
        decision.reason = "the fit failed; it is retried when new points arrive: \(message)"
        var state = record.state
        state.stopVotes = 0
        registry.modify(id) { $0.fitProblem = message }
        write(decision, record: record, state: state)
    }

    /// The members every decision of `record` shares.
    private func base(_ record: RunRecord) -> DecisionRecord {
        DecisionRecord(
            run: record.id, source: record.source, metric: study.metric, direction: study.direction,
            points: record.steps.count, lastStep: record.steps.last, lastValue: record.values.last,
            horizon: study.horizon, verdict: .continue, reason: "", issues: record.issues)
    }

    /// Records the decision (and the state, if given) and queues their files.
    private func write(_ decision: DecisionRecord, record: RunRecord, state: RunState?) {
        let published = PublishedDecision(decision)
        registry.modify(record.id) { current in
            current.decision = published
            if let state { current.state = state }
        }
        board[record.id] = published.bytes
        writer.enqueue(run: record.id, decision: published.bytes, state: state)
    }
}

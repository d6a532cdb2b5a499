/// `PredictiveStoppingRule` in the replay: at each checkpoint of a run, the cached forecast at the
/// horizon against the incumbent (the best final value among finished runs so far).
///
/// Before any run has finished there is no target, so the rule votes continue (and its vote
/// streak resets). The diagnostics guard is `DecisionDiagnostics` (every chain alone votes as all
/// draws do, few divergences); a checkpoint whose fit failed counts as failed diagnostics. Between
/// checkpoints the rule is not evaluated (no new fit), as in the daemon, which refits a run only
/// every so often.
public struct PredictiveReplayRule: ReplayStoppingRule {
    public var rule: PredictiveStoppingRule
    public let table: ReplayForecastTable
    private var votes = 0
    /// checkpoint index -> position in the run's checkpoint list, for the current run.
    private var positions: [Int: Int] = [:]

    public init(rule: PredictiveStoppingRule, table: ReplayForecastTable) {
        self.rule = rule
        self.table = table
    }

    public var name: String { "predictive p < \(rule.threshold)" }

    public mutating func start(run r: Int, study: ReplayStudyState) {
        votes = 0
        positions = Dictionary(uniqueKeysWithValues: table.checkpoints[r].enumerated().map { ($1, $0) })
    }

    public mutating func shouldStop(run r: Int, after i: Int, study: ReplayStudyState) -> Bool {
        guard let c = positions[i] else { return false }
        guard let target = study.incumbent else {
            votes = 0
            return false
        }
        let forecast = table.forecasts[r][c]
        let direction = study.population.direction
        let rule = self.rule
        let trusted = forecast?.decisionDiagnostics { rule.votesStop($0, target: target, direction: direction) }.pass ?? false
        let decision = rule.decide(horizonDraws: forecast?.draws ?? [], target: target, direction: direction,
                                   observedSteps: Array(study.population.runs[r].steps[...i]),
                                   diagnosticsPass: trusted, previousStopVotes: votes)
        votes = decision.stopVotes
        return decision.verdict == .stop
    }
}

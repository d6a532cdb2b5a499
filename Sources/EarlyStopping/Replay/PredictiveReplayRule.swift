/// `PredictiveStoppingRule` in the replay: at each checkpoint of a run, the forecast at the
/// horizon against the incumbent (the best final value among finished runs so far).
///
/// - Before any run has finished there is no target: the rule votes continue (its vote streak
///   resets).
/// - The diagnostics guard is `DecisionDiagnostics` (every chain alone votes as all draws do, few
///   divergences); a point whose fit failed counts as failed diagnostics.
/// - After a stop vote that does not stop yet (fewer than `consecutiveVotes` in a row), the next
///   vote is taken at the next logged point, not at the next geometric checkpoint: the daemon
///   refits a run as its points arrive, and a vote is confirmed by a fit on new data, not by
///   waiting (with checkpoints 1.3x apart, waiting would cost up to 30% of the run so far per
///   vote). Between checkpoints the rule is otherwise not evaluated.
public struct PredictiveReplayRule: ReplayStoppingRule {
    public var rule: PredictiveStoppingRule
    public let table: ReplayForecastTable
    private var votes = 0
    /// The current run's checkpoints.
    private var checkpoints: Set<Int> = []
    /// Where the next vote of a streak is taken.
    private var confirmation: Int?

    public init(rule: PredictiveStoppingRule, table: ReplayForecastTable) {
        self.rule = rule
        self.table = table
    }

    public var name: String { "predictive p < \(rule.threshold)" }

    public mutating func start(run r: Int, study: ReplayStudyState) {
        votes = 0
        confirmation = nil
        checkpoints = Set(table.checkpoints[r])
    }

    public mutating func shouldStop(run r: Int, after i: Int, study: ReplayStudyState) -> Bool {
        guard checkpoints.contains(i) || confirmation == i else { return false }
        confirmation = nil
        guard let target = study.incumbent else {
            votes = 0
            return false
        }
        let forecast = table.forecast(run: r, index: i)
        let direction = study.population.direction
        let rule = self.rule
        let trusted = forecast?.decisionDiagnostics { rule.votesStop($0, target: target, direction: direction) }.pass ?? false
        let decision = rule.decide(horizonDraws: forecast?.draws ?? [], target: target, direction: direction,
                                   observedSteps: Array(study.population.runs[r].steps[...i]),
                                   diagnosticsPass: trusted, previousStopVotes: votes)
        votes = decision.stopVotes
        if decision.verdict == .continue, votes > 0 { confirmation = i + 1 }
        return decision.verdict == .stop
    }
}

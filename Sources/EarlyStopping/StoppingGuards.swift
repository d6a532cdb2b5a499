/// The guards every stopping rule applies before it may stop a run (DESIGN.md, "Early stopping"),
/// checked in this order, each giving `continue` with its reason:
/// 1. fewer than `minimumPoints` points after `warmupSteps` have been seen: too early to judge;
/// 2. the fit's sampler diagnostics failed: never stop on a posterior we cannot trust;
/// 3. the rule's statistic could not be computed (no finite draws): continue;
/// 4. the rule votes continue: continue (the vote streak resets);
/// 5. the rule votes stop but fewer than `consecutiveVotes` stop votes in a row (counting this
///    one): continue, the vote is carried in `StoppingDecision.stopVotes`.
/// Only after all guards pass is the decision `stop`.
struct StoppingGuards: Sendable, Equatable {
    var minimumPoints: Int
    var warmupSteps: Double
    var consecutiveVotes: Int

    /// The rule's vote: whether it says stop, and the statement behind it (e.g.
    /// "P(final beats 3.2) = 0.012 < threshold 0.05"); nil when it cannot be computed.
    typealias Vote = (stop: Bool, statement: String)

    func decide(observedSteps: [Double], diagnosticsPass: Bool, previousStopVotes: Int,
                probability: Double?, expectedImprovement: Double? = nil,
                vote: () -> Vote?) -> StoppingDecision {
        func decision(_ verdict: StoppingDecision.Verdict, votes: Int, _ reason: String) -> StoppingDecision {
            StoppingDecision(verdict: verdict, probability: probability, stopVotes: votes, reason: reason,
                             expectedImprovement: expectedImprovement)
        }
        let counted = observedSteps.filter { $0 > warmupSteps }.count
        guard counted >= minimumPoints else {
            return decision(.continue, votes: 0,
                            "too early: \(counted) point(s) after the warmup, \(minimumPoints) needed before a stop vote")
        }
        guard diagnosticsPass else {
            return decision(.continue, votes: 0, "the fit failed its sampler diagnostics; never stopping on it")
        }
        guard let vote = vote() else {
            return decision(.continue, votes: 0, "no finite forecast draws at the horizon")
        }
        guard vote.stop else { return decision(.continue, votes: 0, vote.statement) }
        let votes = previousStopVotes + 1
        guard votes >= max(consecutiveVotes, 1) else {
            return decision(.continue, votes: votes, "\(vote.statement): stop vote \(votes) of \(consecutiveVotes) needed")
        }
        return decision(.stop, votes: votes, "\(vote.statement) for \(votes) consecutive evaluation(s)")
    }
}

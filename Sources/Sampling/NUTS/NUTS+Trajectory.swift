/// What `buildTree` hands back: a value-type summary of a subtree. Its vectors (end momenta,
/// summed momentum, proposal) were written into the caller's `SubtreeSlots`, so no arrays are
/// created per tree node.
struct Subtree {
    /// false if a leaf diverged or the subtree (or a sub-subtree) made a U-turn.
    var isValid: Bool
    /// log of the sum over the subtree's states of exp(H0 - H), accumulated by log-sum-exp.
    var logSumWeight: Double
}

/// Where a subtree writes its results (Stan's by-reference arguments of `build_tree`):
/// the selected state, the momenta and sharp momenta at its two ends ("begin" is the end next
/// to the existing trajectory), and rho, the sum of its momenta.
struct SubtreeSlots {
    let proposal: TrajectoryBuffers.Proposal
    let pBegin, pEnd, pSharpBegin, pSharpEnd, rho: UnsafeMutablePointer<Double>
}

extension NUTSSampler {
    /// Builds a subtree of 2^depth leapfrog steps of size `eps` (negative: backwards in time)
    /// from the current integrator state `z`, leaving `z` at the subtree's far end
    /// (Stan `base_nuts::build_tree`).
    ///
    /// Leaf: one leapfrog step; weight exp(H0 - h) (h = NaN counts as +inf); divergent if
    /// h - H0 > maxDeltaH. Internal node: an initial and a final half of depth - 1; the final
    /// half's proposal replaces the initial one with probability w_final / (w_init + w_final)
    /// (uniform progressive sampling); valid only if both halves are, the whole subtree passes
    /// the U-turn check, and so do the two spans that extend each half by one state across the
    /// junction (rho_init + p_final_begin, rho_final + p_init_end).
    mutating func buildTree(depth: Int, stepSize eps: Double, h0: Double, into out: SubtreeSlots) -> Subtree {
        let d = dimension
        if depth == 0 {
            z.leapfrog(stepSize: eps, metric: metric, density: &density)
            leapfrogSteps += 1
            gradientEvaluations += 1
            let h = z.hamiltonian
            if h - h0 > maxDeltaH { divergent = true }
            // min(1, exp(H0 - h)) without evaluating exp of a positive number.
            sumMetropolisProbability += h0 - h > 0 ? 1 : _exp(h0 - h)
            writeProposal(out.proposal, hamiltonian: h)
            z.p.withUnsafeBufferPointer { p in
                out.pBegin.update(from: p.baseAddress!, count: d)
                out.pEnd.update(from: p.baseAddress!, count: d)
                out.rho.update(from: p.baseAddress!, count: d)
            }
            z.pSharp.withUnsafeBufferPointer { s in
                out.pSharpBegin.update(from: s.baseAddress!, count: d)
                out.pSharpEnd.update(from: s.baseAddress!, count: d)
            }
            // The weight log exp(H0 - h); -inf for h = +inf.
            return Subtree(isValid: !divergent, logSumWeight: h0 - h)
        }

        let level = buffers.levels[depth]
        let initial = buildTree(
            depth: depth - 1, stepSize: eps, h0: h0,
            into: SubtreeSlots(proposal: out.proposal, pBegin: out.pBegin, pEnd: level.pInitEnd,
                               pSharpBegin: out.pSharpBegin, pSharpEnd: level.pSharpInitEnd, rho: level.rhoInit))
        if !initial.isValid { return Subtree(isValid: false, logSumWeight: -.infinity) }

        let final = buildTree(
            depth: depth - 1, stepSize: eps, h0: h0,
            into: SubtreeSlots(proposal: level.proposalFinal, pBegin: level.pFinalBegin, pEnd: out.pEnd,
                               pSharpBegin: level.pSharpFinalBegin, pSharpEnd: out.pSharpEnd, rho: level.rhoFinal))
        if !final.isValid { return Subtree(isValid: false, logSumWeight: -.infinity) }

        // Uniform multinomial choice between the halves, in log space.
        let logSumWeight = logSumExp(initial.logSumWeight, final.logSumWeight)
        if final.logSumWeight > logSumWeight {
            out.proposal.copy(from: level.proposalFinal)
        } else if rng.uniform() < _exp(final.logSumWeight - logSumWeight) {
            out.proposal.copy(from: level.proposalFinal)
        }

        for i in 0..<d { out.rho[i] = level.rhoInit[i] + level.rhoFinal[i] }
        var persist = noUTurn(out.pSharpBegin, out.pSharpEnd, out.rho, d)
        let scratch = buffers.scratch
        for i in 0..<d { scratch[i] = level.rhoInit[i] + level.pFinalBegin[i] }
        persist = noUTurn(out.pSharpBegin, level.pSharpFinalBegin, scratch, d) && persist
        for i in 0..<d { scratch[i] = level.rhoFinal[i] + level.pInitEnd[i] }
        persist = noUTurn(level.pSharpInitEnd, out.pSharpEnd, scratch, d) && persist
        return Subtree(isValid: persist, logSumWeight: logSumWeight)
    }
}

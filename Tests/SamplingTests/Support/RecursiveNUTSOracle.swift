import Foundation
@testable import Sampling

/// A slow, obviously correct NUTS: a line-by-line transliteration of the pseudocode in
/// NUTS_NOTES.md section 2 (Stan `base_nuts.hpp` transition / build_tree), keeping Stan's
/// by-reference argument style and copying whole phase points and fresh arrays everywhere.
///
/// It shares only the independently tested pieces with the fast sampler (the leapfrog step,
/// the metric, the PRNG), and draws random numbers in the same order, so both must produce
/// bit-identical chains. Arithmetic is written in the same order as the fast code (sequential
/// dot products, elementwise sums) so that even the U-turn decisions agree bit for bit.
struct RecursiveNUTSOracle<D: LogDensity> {
    var density: D
    var metric: Metric
    var stepSize: Double
    var maxDepth: Int
    var maxDeltaH = 1000.0
    var rng: Xoshiro256StarStar
    var z: PhasePoint

    // Stan's by-reference accumulators.
    var nLeapfrog = 0
    var sumMetroProb = 0.0
    var divergent = false

    init(density: D, initialPoint: [Double], metric: Metric, stepSize: Double, maxDepth: Int,
         rng: Xoshiro256StarStar) {
        self.density = density
        self.metric = metric
        self.stepSize = stepSize
        self.maxDepth = maxDepth
        self.rng = rng
        z = PhasePoint(dimension: initialPoint.count)
        z.q = initialPoint
        z.evaluate(&self.density)
    }

    static func crit(_ pSharpMinus: [Double], _ pSharpPlus: [Double], _ rho: [Double]) -> Bool {
        sequentialDot(pSharpPlus, rho) > 0 && sequentialDot(pSharpMinus, rho) > 0
    }

    static func add(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }

    mutating func transition() -> TransitionInfo {
        z.resampleMomentum(metric, using: &rng)
        let d = z.dimension
        let H0 = z.hamiltonian
        var zFwd = z, zBck = z, zSample = z, zPropose = z
        var pFwdFwd = z.p, pSharpFwdFwd = z.pSharp
        var pFwdBck = z.p, pSharpFwdBck = pSharpFwdFwd
        var pBckFwd = z.p, pSharpBckFwd = pSharpFwdFwd
        var pBckBck = z.p, pSharpBckBck = pSharpFwdFwd
        var rho = z.p
        var logSumWeight = 0.0
        nLeapfrog = 0
        sumMetroProb = 0
        divergent = false
        var depth = 0

        while depth < maxDepth {
            var rhoFwd = [Double](repeating: 0, count: d)
            var rhoBck = [Double](repeating: 0, count: d)
            var valid = false
            var logSumWeightSubtree = -Double.infinity
            if rng.uniform() > 0.5 {
                z = zFwd
                rhoBck = rho
                pBckFwd = pFwdFwd
                pSharpBckFwd = pSharpFwdFwd
                valid = buildTree(depth, &zPropose, &pSharpFwdBck, &pSharpFwdFwd, &rhoFwd, &pFwdBck, &pFwdFwd,
                                  H0, 1, &logSumWeightSubtree)
                zFwd = z
            } else {
                z = zBck
                rhoFwd = rho
                pFwdBck = pBckBck
                pSharpFwdBck = pSharpBckBck
                valid = buildTree(depth, &zPropose, &pSharpBckFwd, &pSharpBckBck, &rhoBck, &pBckFwd, &pBckBck,
                                  H0, -1, &logSumWeightSubtree)
                zBck = z
            }
            if !valid { break }
            depth += 1
            if logSumWeightSubtree > logSumWeight {
                zSample = zPropose
            } else {
                let acceptProb = exp(logSumWeightSubtree - logSumWeight)
                if rng.uniform() < acceptProb { zSample = zPropose }
            }
            logSumWeight = logSumExp(logSumWeight, logSumWeightSubtree)
            rho = Self.add(rhoBck, rhoFwd)
            var persist = Self.crit(pSharpBckBck, pSharpFwdFwd, rho)
            persist = Self.crit(pSharpBckBck, pSharpFwdBck, Self.add(rhoBck, pFwdBck)) && persist
            persist = Self.crit(pSharpBckFwd, pSharpFwdFwd, Self.add(rhoFwd, pBckFwd)) && persist
            if !persist { break }
        }
        let accept = sumMetroProb / Double(nLeapfrog)
        z = zSample
        return TransitionInfo(acceptStat: accept, stepSize: stepSize, treeDepth: depth, leapfrogSteps: nLeapfrog,
                              divergent: divergent, energy: z.hamiltonian, logDensity: z.logDensity)
    }

    mutating func buildTree(_ depth: Int, _ zPropose: inout PhasePoint,
                            _ pSharpBeg: inout [Double], _ pSharpEnd: inout [Double], _ rho: inout [Double],
                            _ pBeg: inout [Double], _ pEnd: inout [Double],
                            _ H0: Double, _ sign: Double, _ logSumWeight: inout Double) -> Bool {
        if depth == 0 {
            z.leapfrog(stepSize: sign * stepSize, metric: metric, density: &density)
            nLeapfrog += 1
            var h = z.hamiltonian
            if h.isNaN { h = .infinity }
            if h - H0 > maxDeltaH { divergent = true }
            logSumWeight = logSumExp(logSumWeight, H0 - h)
            if H0 - h > 0 { sumMetroProb += 1 } else { sumMetroProb += exp(H0 - h) }
            zPropose = z
            pSharpBeg = z.pSharp
            pSharpEnd = pSharpBeg
            for i in 0..<rho.count { rho[i] += z.p[i] }
            pBeg = z.p
            pEnd = pBeg
            return !divergent
        }
        let d = rho.count
        // Initial subtree.
        var logSumWeightInit = -Double.infinity
        var pInitEnd = [Double](repeating: 0, count: d)
        var pSharpInitEnd = [Double](repeating: 0, count: d)
        var rhoInit = [Double](repeating: 0, count: d)
        let validInit = buildTree(depth - 1, &zPropose, &pSharpBeg, &pSharpInitEnd, &rhoInit, &pBeg, &pInitEnd,
                                  H0, sign, &logSumWeightInit)
        if !validInit { return false }
        // Final subtree.
        var zProposeFinal = z
        var logSumWeightFinal = -Double.infinity
        var pFinalBeg = [Double](repeating: 0, count: d)
        var pSharpFinalBeg = [Double](repeating: 0, count: d)
        var rhoFinal = [Double](repeating: 0, count: d)
        let validFinal = buildTree(depth - 1, &zProposeFinal, &pSharpFinalBeg, &pSharpEnd, &rhoFinal, &pFinalBeg,
                                   &pEnd, H0, sign, &logSumWeightFinal)
        if !validFinal { return false }
        // Multinomial sample from the right subtree.
        let logSumWeightSubtree = logSumExp(logSumWeightInit, logSumWeightFinal)
        logSumWeight = logSumExp(logSumWeight, logSumWeightSubtree)
        if logSumWeightFinal > logSumWeightSubtree {
            zPropose = zProposeFinal
        } else {
            let acceptProb = exp(logSumWeightFinal - logSumWeightSubtree)
            if rng.uniform() < acceptProb { zPropose = zProposeFinal }
        }
        let rhoSubtree = Self.add(rhoInit, rhoFinal)
        for i in 0..<d { rho[i] += rhoSubtree[i] }
        var persist = Self.crit(pSharpBeg, pSharpEnd, rhoSubtree)
        persist = Self.crit(pSharpBeg, pSharpFinalBeg, Self.add(rhoInit, pFinalBeg)) && persist
        persist = Self.crit(pSharpInitEnd, pSharpEnd, Self.add(rhoFinal, pInitEnd)) && persist
        return persist
    }
}

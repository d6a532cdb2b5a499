import Autodiff
import Foundation
import LinearAlgebra

/// Luo et al. (2025)'s learning-rate decay sum at every evaluation point, as one tape node:
/// ```
/// LD(n) = sum_j w_j G(lr_j^-gamma S_j(n)),   G(x) = 1 - (C x + 1)^-beta
/// ```
/// over the change-point columns j of `ScheduleCovariates` (single change points k with
/// w_j = lr(k-1) - lr(k), S_j(n) = the area from k to n; or merged segments, see
/// `ChangePointGrouping`), S_j(n) = 0 and no contribution for columns after n.
/// Inputs: `[C, beta, gamma]` (scalars). Output: one value per evaluation point.
///
/// Data, built once per tape: the n_eval x n_col matrix S (row-major; each row's valid columns
/// are a prefix because columns are ordered by step), log lr_j, w_j and the row sums of w over
/// the valid prefix, W_e. Forward, with scratch preallocated in the operation:
/// ```
/// X = S * diag(lr^-gamma)    (per-column scale exp(-gamma log lr), one Elementwise.expScaled)
/// L = log1p(C X),  Q = exp(-beta L) = (1 + C X)^-beta   (Elementwise kernels, valid prefixes)
/// LD = W - Q w                (BLAS.gemv)
/// ```
/// Backward, with a the output adjoint (invalid entries of every matrix stay 0):
/// ```
/// dG/dC = beta X Q / (1 + C X),   dG/dbeta = Q L,   dG/dgamma = -beta C log(lr_j) X Q / (1 + C X)
/// u = (X Q / (1 + C X))' a,   v = (Q L)' a    (two transposed gemv)
/// dC += beta u.w,   dgamma -= beta C u.(w log lr),   dbeta += v.w
/// ```
/// Cost: about n_eval x n_col / 2 valid entries (~150k for 550 points on the 72k-step cosine:
/// 546 columns), each one log1p and one exp; value + gradient of the multi-power mean there
/// measured 1.8-2.0 ms of CPU time in release on a loaded 2-core machine (value alone ~1.1 ms,
/// of which ~0.8 ms is the two Elementwise kernels at ~3.2 and ~2.1 ns per element).
public struct LearningRateDecaySum: CustomVectorOperation {
    public let rows: Int
    public let columns: Int
    let areas: [Double]
    let rowLengths: [Int]
    let weights: [Double]
    let logRates: [Double]
    let weightedLogRates: [Double]
    let weightPrefix: [Double]
    // Scratch (per copy of the tape).
    var scale: [Double]
    var x: [Double]
    var logTerm: [Double]
    var q: [Double]
    var work: [Double]
    var columnSums: [Double]

    init(rows: Int, columns: Int, areas: [Double], rowLengths: [Int], weights: [Double], logRates: [Double],
         weightPrefix: [Double]) {
        precondition(areas.count == rows * columns && rowLengths.count == rows && weights.count == columns
                     && logRates.count == columns && weightPrefix.count == rows)
        self.rows = rows
        self.columns = columns
        self.areas = areas
        self.rowLengths = rowLengths
        self.weights = weights
        self.logRates = logRates
        weightedLogRates = zip(weights, logRates).map { $0 * $1 }
        self.weightPrefix = weightPrefix
        scale = [Double](repeating: 0, count: columns)
        x = [Double](repeating: 0, count: rows * columns)
        logTerm = x
        q = x
        work = x
        columnSums = scale
    }

    public var name: String { "lr_decay_sum" }

    public func outputCount(inputCounts: [Int]) -> Int {
        precondition(inputCounts == [1, 1, 1], "LearningRateDecaySum: the inputs must be [C, beta, gamma] (scalars)")
        return rows
    }

    public mutating func forward(_ io: CustomOperationIO) {
        let c = io.input(0)[0], beta = io.input(1)[0], gamma = io.input(2)[0]
        let out = io.output
        for e in 0..<rows { out[e] = weightPrefix[e] }
        guard rows > 0, columns > 0 else { return }
        let m = columns
        logRates.withUnsafeBufferPointer { lr in
            scale.withUnsafeMutableBufferPointer { sc in Elementwise.expScaled(lr, by: -gamma, into: sc) }
        }
        areas.withUnsafeBufferPointer { sp in
        scale.withUnsafeBufferPointer { sc in
        x.withUnsafeMutableBufferPointer { xp in
        logTerm.withUnsafeMutableBufferPointer { lp in
        q.withUnsafeMutableBufferPointer { qp in
            for e in 0..<rows {
                let len = rowLengths[e]
                if len == 0 { continue }
                let base = e * m
                let srow = sp.baseAddress! + base, xrow = xp.baseAddress! + base, lrow = lp.baseAddress! + base
                for j in 0..<len {
                    let xv = srow[j] * sc[j]
                    xrow[j] = xv
                    lrow[j] = c * xv
                }
                let lbuf = UnsafeMutableBufferPointer(start: lrow, count: len)
                Elementwise.log1p(UnsafeBufferPointer(lbuf), into: lbuf)
                Elementwise.expScaled(UnsafeBufferPointer(lbuf), by: -beta,
                                      into: UnsafeMutableBufferPointer(start: qp.baseAddress! + base, count: len))
            }
            weights.withUnsafeBufferPointer { wp in
                BLAS.gemv(rows: rows, columns: m, alpha: -1, UnsafeBufferPointer(qp), wp, beta: 1, out)
            }
        }}}}}
    }

    public mutating func backward(_ io: CustomOperationIO) {
        let dC = io.inputAdjoint(0), dBeta = io.inputAdjoint(1), dGamma = io.inputAdjoint(2)
        guard rows > 0, columns > 0, dC != nil || dBeta != nil || dGamma != nil else { return }
        let c = io.input(0)[0], beta = io.input(1)[0]
        let a = io.outputAdjoint
        let m = columns
        x.withUnsafeBufferPointer { xp in
        logTerm.withUnsafeBufferPointer { lp in
        q.withUnsafeBufferPointer { qp in
        work.withUnsafeMutableBufferPointer { wk in
        columnSums.withUnsafeMutableBufferPointer { u in
            if let dBeta {
                for e in 0..<rows {
                    let base = e * m
                    for j in 0..<rowLengths[e] { wk[base + j] = qp[base + j] * lp[base + j] }
                }
                BLAS.gemv(transpose: true, rows: rows, columns: m, UnsafeBufferPointer(wk), a, u)
                dBeta[0] += weights.withUnsafeBufferPointer { BLAS.dot(UnsafeBufferPointer(u), $0) }
            }
            if dC != nil || dGamma != nil {
                for e in 0..<rows {
                    let base = e * m
                    for j in 0..<rowLengths[e] {
                        let xv = xp[base + j]
                        wk[base + j] = xv * qp[base + j] / (1 + c * xv)
                    }
                }
                BLAS.gemv(transpose: true, rows: rows, columns: m, UnsafeBufferPointer(wk), a, u)
                if let dC {
                    dC[0] += beta * weights.withUnsafeBufferPointer { BLAS.dot(UnsafeBufferPointer(u), $0) }
                }
                if let dGamma {
                    dGamma[0] -= beta * c * weightedLogRates.withUnsafeBufferPointer { BLAS.dot(UnsafeBufferPointer(u), $0) }
                }
            }
        }}}}}
    }
}

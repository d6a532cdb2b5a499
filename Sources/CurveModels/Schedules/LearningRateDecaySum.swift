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
/// LD = W - Q w                (BLAS.gemv, in blocks of rows over their longest valid prefix)
/// ```
/// Invalid entries of every matrix are 0 and never written, so the blocked gemv may read past a
/// row's prefix. Backward, with a the output adjoint:
/// ```
/// dG/dC = beta X Q / (1 + C X),   dG/dbeta = Q L,   dG/dgamma = -beta C log(lr_j) X Q / (1 + C X)
/// dC += beta a'(R w),   dgamma -= beta C a'(R (w log lr)),   dbeta += a'((Q L) w),   R = X Q / (1 + C X)
/// ```
/// computed in one fused pass over the valid prefixes (three row sums per row, then dotted with
/// a): one read of X, L and Q instead of writing two work matrices and reducing them with two
/// transposed gemv over the full matrix. With the blocked forward gemv this took value + gradient
/// of the multi-power posterior at 550 points on the 72k-step cosine from 2.4 to 1.2 ms of CPU
/// time (release, same machine and hour; `curvecast-bench schedules --parts timing`).
/// Cost: about n_eval x n_col / 2 valid entries (~150k for 550 points on the 72k-step cosine:
/// 534 columns), each one log1p and one exp forward (~0.8 ms of the 1.2 ms above), a division
/// backward.
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
    }

    /// Rows per block of the forward gemv: each block is reduced over its longest valid prefix.
    static let blockRows = 16

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
                var start = 0
                while start < rows {
                    let end = min(start + Self.blockRows, rows)
                    let width = rowLengths[start..<end].max()!
                    if width > 0 {
                        BLAS.gemv(rows: end - start, columns: width, leadingDimension: m, alpha: -1,
                                  UnsafePointer(qp.baseAddress! + start * m), wp, beta: 1,
                                  UnsafeMutableBufferPointer(rebasing: out[start..<end]))
                    }
                    start = end
                }
            }
        }}}}}
    }

    public mutating func backward(_ io: CustomOperationIO) {
        let dC = io.inputAdjoint(0), dBeta = io.inputAdjoint(1), dGamma = io.inputAdjoint(2)
        guard rows > 0, columns > 0, dC != nil || dBeta != nil || dGamma != nil else { return }
        let c = io.input(0)[0], beta = io.input(1)[0]
        let a = io.outputAdjoint
        let m = columns
        var sumBeta = 0.0, sumC = 0.0, sumGamma = 0.0
        x.withUnsafeBufferPointer { xp in
        logTerm.withUnsafeBufferPointer { lp in
        q.withUnsafeBufferPointer { qp in
        weights.withUnsafeBufferPointer { wp in
        weightedLogRates.withUnsafeBufferPointer { wlp in
            for e in 0..<rows {
                let ae = a[e], len = rowLengths[e]
                if ae == 0 || len == 0 { continue }
                let xr = xp.baseAddress! + e * m, lr = lp.baseAddress! + e * m, qr = qp.baseAddress! + e * m
                // Two partial sums per row sum: independent add chains the CPU overlaps.
                var b0 = 0.0, b1 = 0.0, c0 = 0.0, c1 = 0.0, g0 = 0.0, g1 = 0.0
                var j = 0
                while j + 1 < len {
                    let r0 = xr[j] * qr[j] / (1 + c * xr[j]), r1 = xr[j + 1] * qr[j + 1] / (1 + c * xr[j + 1])
                    b0 += wp[j] * qr[j] * lr[j]; b1 += wp[j + 1] * qr[j + 1] * lr[j + 1]
                    c0 += wp[j] * r0; c1 += wp[j + 1] * r1
                    g0 += wlp[j] * r0; g1 += wlp[j + 1] * r1
                    j += 2
                }
                if j < len {
                    let r0 = xr[j] * qr[j] / (1 + c * xr[j])
                    b0 += wp[j] * qr[j] * lr[j]; c0 += wp[j] * r0; g0 += wlp[j] * r0
                }
                sumBeta += ae * (b0 + b1)
                sumC += ae * (c0 + c1)
                sumGamma += ae * (g0 + g1)
            }
        }}}}}
        dBeta?[0] += sumBeta
        dC?[0] += beta * sumC
        dGamma?[0] -= beta * c * sumGamma
    }
}

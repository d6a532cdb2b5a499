import Autodiff
import Foundation

/// Tissue et al. (2024)'s annealing area S2 at every evaluation point, as one tape node:
/// ```
/// m_s = lambda_s m_{s-1} + (lr(s-1) - lr(s)),  s = W+1, ..., n,  m_W = 0,
/// S2(n) = sum_{s=W+1}^{n} m_s / stepRef,       lambda_s = lambda^(1 / stepRef)
/// ```
/// (lr normalized by its peak, W the last warmup step; Models/README.md). Input: `[lambda]`, a
/// scalar in (0, 1), the decay per unit of normalized time. Output: one value per evaluation
/// point.
///
/// Gradient by forward mode in the same pass: alongside m_s the recurrence carries
/// m'_s = dm_s/dlambda_s = m_{s-1} + lambda_s m'_{s-1} and its running sum, so that
/// dS2(n)/dlambda = (sum_s m'_s) / stepRef * dlambda_s/dlambda with
/// dlambda_s/dlambda = lambda^(1/stepRef - 1) / stepRef. The forward pass stores these
/// derivatives (one per point); backward is a single dot product with the output adjoint.
/// The pass walks the steps once in increasing order, visiting the evaluation points sorted by
/// step, and crosses runs of at least 16 unchanged steps (constant stretches, the held rate past
/// the schedule's end) in closed form: O(change points + points), no allocation.
public struct AnnealArea: CustomVectorOperation {
    let stepRef: Double
    let warmupSteps: Int
    /// lr(s-1) - lr(s) for s = W+1 ... max step.
    let increments: [Double]
    let steps: [Int]
    /// Evaluation indices sorted by step.
    let order: [Int]
    /// For a step s with a zero increment: the last step of its run of zero increments (else s - 1).
    let zeroRunEnd: [Int]
    /// dS2/dlambda per point, from the last forward pass.
    var derivative: [Double]

    /// Runs of unchanged rate at least this long are crossed in closed form.
    static let shortestJump = 16

    init(stepRef: Double, warmupSteps: Int, increments: [Double], steps: [Int], order: [Int]) {
        self.stepRef = stepRef
        self.warmupSteps = warmupSteps
        self.increments = increments
        self.steps = steps
        self.order = order
        derivative = [Double](repeating: 0, count: steps.count)
        var ends = [Int](repeating: 0, count: increments.count)
        var end = warmupSteps + increments.count
        for i in stride(from: increments.count - 1, through: 0, by: -1) {
            let s = warmupSteps + 1 + i
            if increments[i] != 0 { ends[i] = s - 1; end = s - 1 } else { ends[i] = end }
        }
        zeroRunEnd = ends
    }

    /// L steps without a change, 0 < ls < 1, u = -log(ls):
    /// m <- q m, q = ls^L;  area += A m;  dArea += B m + A dm;  dm <- L q/ls m + q dm, with
    /// A = sum_{k=1}^{L} ls^k = -expm1(-uL) / expm1(u) and
    /// B = dA/dls = sum_{k=1}^{L} k ls^(k-1) = (-expm1(-uL) + L q expm1(-u)) / expm1(-u)^2
    /// (cancellation-free to ~eps / (uL)); for uL < 1e-3 the series
    /// B = e^u (S1 - u S2 + u^2 S3 / 2), S_j = sum k^j, is used instead.
    static func jump(steps count: Int, ls: Double, m: inout Double, dm: inout Double,
                     area: inout Double, dArea: inout Double) {
        let l = Double(count)
        let u = -Foundation.log(ls)
        let q = Foundation.exp(-u * l)
        let a = -Foundation.expm1(-u * l) / Foundation.expm1(u)
        let b: Double
        if u * l < 1e-3 {
            let s1 = l * (l + 1) / 2, s2 = l * (l + 1) * (2 * l + 1) / 6, s3 = s1 * s1
            b = Foundation.exp(u) * (s1 - u * s2 + 0.5 * u * u * s3)
        } else {
            let e = Foundation.expm1(-u)
            b = (-Foundation.expm1(-u * l) + l * q * e) / (e * e)
        }
        area += a * m
        dArea += b * m + a * dm
        dm = l * q / ls * m + q * dm
        m = q * m
    }

    public var name: String { "anneal_area" }

    public func outputCount(inputCounts: [Int]) -> Int {
        precondition(inputCounts == [1], "AnnealArea: the input must be [lambda (scalar)]")
        return steps.count
    }

    public mutating func forward(_ io: CustomOperationIO) {
        let lambda = io.input(0)[0]
        let r = stepRef
        let ls = Foundation.pow(lambda, 1 / r)
        let dls = Foundation.pow(lambda, 1 / r - 1) / r
        let out = io.output
        let w = warmupSteps
        var m = 0.0, dm = 0.0, area = 0.0, dArea = 0.0
        var s = w + 1
        increments.withUnsafeBufferPointer { inc in
            derivative.withUnsafeMutableBufferPointer { der in
                for idx in order {
                    let n = steps[idx]
                    if n <= w {
                        out[idx] = 0
                        der[idx] = 0
                        continue
                    }
                    while s <= n {
                        let run = zeroRunEnd[s - w - 1]
                        if run - s >= Self.shortestJump && ls > 0 && ls < 1 {
                            // Steps s...end change nothing: m decays geometrically; jump in closed form.
                            let end = min(run, n)
                            Self.jump(steps: end - s + 1, ls: ls, m: &m, dm: &dm, area: &area, dArea: &dArea)
                            s = end + 1
                            continue
                        }
                        dm = ls * dm + m
                        m = ls * m + inc[s - w - 1]
                        area += m
                        dArea += dm
                        s += 1
                    }
                    out[idx] = area / r
                    // 0 * inf (lambda = 0 with nothing to decay) counts as 0.
                    der[idx] = dArea == 0 ? 0 : dArea / r * dls
                }
            }
        }
    }

    public mutating func backward(_ io: CustomOperationIO) {
        guard let dLambda = io.inputAdjoint(0) else { return }
        let a = io.outputAdjoint
        var sum = 0.0
        derivative.withUnsafeBufferPointer { der in
            for i in 0..<der.count { sum += a[i] * der[i] }
        }
        dLambda[0] += sum
    }
}

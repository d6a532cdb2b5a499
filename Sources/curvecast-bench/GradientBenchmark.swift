import Autodiff
import Foundation
import LinearAlgebra

/// `curvecast-bench gradient`: the cost of one value + gradient of the power-law least-squares
/// objective f = sum_i (y_i - (E + A t_i^-alpha))^2 over 2,000 points through the tape, against
/// a hand-written single-pass Swift loop computing the same value and gradient, in the same run;
/// and the elementwise kernels against plain Swift loops calling Foundation.
///
/// Targets (issue 2): tape <= 15 us per value+gradient (release build) and <= 1.5x the loop.
enum GradientBenchmark {
    static let pointCount = 2_000
    static let targetMicroseconds = 15.0
    static let targetRatio = 1.5

    static func run() -> Bool {
        let t = (1...pointCount).map { Double($0) * 10 }
        let y = t.map { 2.1 + 6.0 * pow($0, -0.31) + 0.002 * sin($0) }
        let logT = t.map { log($0) }
        let p = [2.0, 5.5, 0.3]

        // Tape.
        let recorder = TapeRecorder()
        let e = recorder.parameter("E"), a = recorder.parameter("A"), alpha = recorder.parameter("alpha")
        let residual = recorder.vector(y) - (e + a * recorder.vector(t) ** (-alpha))
        var tape = recorder.finish(output: recorder.sum(residual ** 2))
        var gradient = [0.0, 0.0, 0.0]
        var tapeValue = 0.0
        let tapeNs = p.withUnsafeBufferPointer { pp in
            gradient.withUnsafeMutableBufferPointer { gp in
                Timing.nanosecondsPerCall(callsPerBatch: 2_000) {
                    tapeValue = tape.valueAndGradient(at: pp, gradient: gp)
                }
            }
        }
        let tapeGradient = gradient

        // Hand-written single pass (log t precomputed, as the tape does).
        var loopValue = 0.0
        var loopGradient = [0.0, 0.0, 0.0]
        let loopNs = Timing.nanosecondsPerCall(callsPerBatch: 2_000) {
            (loopValue, loopGradient) = handWritten(y: y, logT: logT, p)
        }
        let agreement = max(abs(tapeValue - loopValue) / abs(loopValue),
                            zip(tapeGradient, loopGradient).map { abs($0 - $1) / max(abs($1), 1e-300) }.max()!)

        print("value + gradient of sum((y - (E + A t^-alpha))^2), \(pointCount) points")
        print("  elementwise kernels: \(Elementwise.usesAVX2 ? "AVX2+FMA" : "baseline") variant")
        print("  tape:              \(format(tapeNs / 1000)) us  (\(tape.nodeCount) nodes)")
        print("  hand-written loop: \(format(loopNs / 1000)) us  (Foundation exp, one pass)")
        print("  ratio tape/loop:   \(format(tapeNs / loopNs))")
        print("  max relative difference tape vs loop: \(String(format: "%.1e", agreement))")

        kernelTable()

        let ok = tapeNs / 1000 <= targetMicroseconds && tapeNs / loopNs <= targetRatio && agreement < 1e-12
        print("SUMMARY gradient: tape \(format(tapeNs / 1000)) us, loop \(format(loopNs / 1000)) us, ratio \(format(tapeNs / loopNs)) "
              + "(targets <= \(format(targetMicroseconds, 0)) us, <= \(targetRatio)x): \(ok ? "PASS" : "FAIL")")
        return ok
    }

    /// One pass: r_i = y_i - E - A e^{-alpha log t_i};  f = sum r^2;
    /// df/dE = -2 sum r, df/dA = -2 sum r t^-alpha, df/dalpha = 2 A sum r t^-alpha log t.
    @inline(never)
    static func handWritten(y: [Double], logT: [Double], _ p: [Double]) -> (Double, [Double]) {
        let (e, a, alpha) = (p[0], p[1], p[2])
        var f = 0.0, dE = 0.0, dA = 0.0, dAlpha = 0.0
        for i in 0..<y.count {
            let tp = Foundation.exp(-alpha * logT[i])
            let r = y[i] - (e + a * tp)
            f += r * r
            dE -= 2 * r
            dA -= 2 * r * tp
            dAlpha += 2 * a * r * tp * logT[i]
        }
        return (f, [dE, dA, dAlpha])
    }

    /// The vector kernels against a plain Swift loop over Foundation, 2,000 elements each.
    static func kernelTable() {
        let n = pointCount
        let x = (0..<n).map { -5 + 10 * Double($0) / Double(n) }
        let positive = x.map { Foundation.exp($0) }
        var out = [Double](repeating: 0, count: n)
        typealias Kernel = (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void
        let kernels: [(String, [Double], Kernel, (Double) -> Double)] = [
            ("exp", x, { Elementwise.exp($0, into: $1) }, { Foundation.exp($0) }),
            ("log", positive, { Elementwise.log($0, into: $1) }, { Foundation.log($0) }),
            ("log1p", positive, { Elementwise.log1p($0, into: $1) }, { Foundation.log1p($0) }),
            ("softplus", x, { Elementwise.softplus($0, into: $1) }, { max($0, 0) + Foundation.log1p(Foundation.exp(-abs($0))) }),
            ("pow(x, 0.7)", positive, { Elementwise.expScaled($0, by: 0.7, into: $1) }, { Foundation.pow($0, 0.7) }),
        ]
        print("  kernels over \(n) elements (ns per element): vector kernel | Swift loop over Foundation | speed-up")
        for (name, input, kernel, scalar) in kernels {
            // pow's kernel takes log x as data (the tape folds it), so its input is log x.
            let kernelInput = name.hasPrefix("pow") ? input.map { Foundation.log($0) } : input
            let vectorNs = kernelInput.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { op in
                    Timing.nanosecondsPerCall(callsPerBatch: 500) { kernel(xp, op) }
                }
            }
            let loopNs = input.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { op in
                    Timing.nanosecondsPerCall(callsPerBatch: 500) {
                        for i in 0..<n { op[i] = scalar(xp[i]) }
                    }
                }
            }
            blackHole(out)
            print("    \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(format(vectorNs / Double(n))) | \(format(loopNs / Double(n))) | \(format(loopNs / vectorNs))x")
        }
    }
}

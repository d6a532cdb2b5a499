import Foundation
import Sampling

/// The progress line of a fit on stderr: `fitting power_law: 4 chains x 1000 iterations: 2400/4000 (60%)`.
///
/// On a terminal the line is rewritten in place (carriage return + erase line) whenever the
/// percentage changes, and ended with a newline when the fit is done; otherwise (a file, a pipe,
/// a CI log) a line is written at every `sparseStep` percent, so logs stay short.
final class ProgressReporter: @unchecked Sendable {
    /// Percent between two lines when stderr is not a terminal.
    static let sparseStep = 25

    private let lock = NSLock()
    private let output: TextOutput
    private let label: String
    private let chains: Int
    private let iterations: Int
    private let passes: Int
    /// Iterations of finished passes (models of `auto`) and of the current one, per chain.
    private var finished: [Int]
    private var current: [Int]
    private var lastPercent = -1
    private var lastBucket = 0
    private var wroteInPlace = false

    /// `passes`: how many fits in a row report through this line (the candidates of `auto`).
    init(output: TextOutput, label: String, chains: Int, iterationsPerChain: Int, passes: Int = 1) {
        self.output = output
        self.label = label
        self.chains = chains
        self.iterations = max(iterationsPerChain, 1)
        self.passes = max(passes, 1)
        finished = Array(repeating: 0, count: chains)
        current = Array(repeating: 0, count: chains)
    }

    func update(_ progress: ChainProgress) { update(chain: progress.chain, completed: progress.completed) }

    /// `chain` counts from 0; `completed` is the chain's iterations done (warmup included).
    func update(chain c: Int, completed: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard c >= 0, c < chains else { return }
        // A count going down is the next model's fit starting.
        if completed < current[c] { finished[c] += current[c] }
        current[c] = completed
        let done = zip(finished, current).reduce(0) { $0 + $1.0 + $1.1 }
        let total = passes * chains * iterations
        let percent = min(100, done * 100 / total)
        let shape = (passes > 1 ? "\(passes) models x " : "") + "\(chains) chain\(chains == 1 ? "" : "s") x \(iterations) iterations"
        let text = "\(label): \(shape): \(done)/\(total) (\(percent)%)"
        if output.isTerminal {
            guard percent != lastPercent else { return }
            output.write("\r\u{1B}[K" + text)
            wroteInPlace = true
        } else {
            // One line per completed quarter: 25%, 50%, 75%, 100%.
            let bucket = percent / Self.sparseStep
            guard bucket > lastBucket else { return }
            lastBucket = bucket
            output.line(text)
        }
        lastPercent = percent
    }

    /// Ends the in-place line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if wroteInPlace { output.write("\n") }
        wroteInPlace = false
    }
}

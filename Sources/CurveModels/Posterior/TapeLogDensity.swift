import Autodiff
import Sampling

/// A recorded tape seen as the sampler's `LogDensity` (the tape's output is log p). Each chain
/// gets its own copy of the tape (a value), so replays never share storage.
public struct TapeLogDensity: LogDensity {
    public var tape: Tape
    public init(_ tape: Tape) { self.tape = tape }
    public var dimension: Int { tape.parameterCount }
    public mutating func logDensity(at q: [Double], gradient: inout [Double]) -> Double {
        tape.valueAndGradient(at: q, gradient: &gradient)
    }
}

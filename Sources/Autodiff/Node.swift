/// A handle to a value recorded on a tape: the index of its node.
public struct NodeID: Hashable, Sendable, Comparable {
    public let index: Int
    public static func < (l: NodeID, r: NodeID) -> Bool { l.index < r.index }
}

/// What a node computes. Each case's forward value and backward rule live side by side in the
/// `Tape+*Ops.swift` files.
enum Operation: Sendable {
    case parameter(Int)          // the i-th coordinate of the parameter vector
    case constant                // data, fixed when recorded
    case add, subtract, multiply, divide, power
    case powerConstant(Double)   // a^k for a fixed real k (k = 2 is the squared residual)
    case negate, exp, log, log1p, sqrt, softplus
    case scaledExp               // exp(s * x): the fused a^b = exp(b log a) with log a as data
    case sum                     // sum of a vector -> scalar
    case dot                     // a . b -> scalar
    case slice(Int)              // x[start ..< start + count], a contiguous view copied out
    case custom(Int)             // index into the tape's custom vector operations
}

/// How the two operands of a binary node broadcast: scalar or vector each.
enum Broadcast: UInt8, Sendable { case ss, sv, vs, vv }

/// One recorded operation. Values live in the tape's flat storage at `offset ..< offset+count`.
/// A node holds only trivial fields (a custom operation's inputs live in the tape's
/// `customInputs`), so reading one in the replay loop copies no reference and retains nothing.
struct Node: Sendable {
    var operation: Operation
    var inputs: (Int, Int) = (-1, -1)
    var offset: Int
    var count: Int
    var isScalar: Bool
    /// True when the value depends on no parameter: computed once when recorded.
    var isConstant: Bool
    var broadcast: Broadcast = .ss
    /// Backward bookkeeping (set by `Tape.finalize`): this node's contribution to input 0 / 1 is
    /// the first one the backward sweep makes, so it assigns instead of accumulating. This
    /// replaces zeroing the adjoint storage before every sweep.
    var assignFirst: Bool = false
    var assignSecond: Bool = false
    /// Whether the node influences the output (backward skips the others).
    var reachesOutput: Bool = false
}

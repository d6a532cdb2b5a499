/// A value recorded on a `TapeRecorder`, with arithmetic operators that record new nodes.
///
/// `Variable`s of different recorders must not be mixed (checked).
public struct Variable {
    public let id: Int
    /// The recorder this value belongs to.
    public let recorder: TapeRecorder

    init(_ id: Int, _ recorder: TapeRecorder) {
        self.id = id
        self.recorder = recorder
    }

    public var node: NodeID { NodeID(index: id) }
}

@inline(__always)
private func same(_ a: Variable, _ b: Variable) -> TapeRecorder {
    precondition(a.recorder === b.recorder, "Variable: operands come from different tape recorders")
    return a.recorder
}

public func + (a: Variable, b: Variable) -> Variable { same(a, b).add(a, b) }
public func - (a: Variable, b: Variable) -> Variable { same(a, b).subtract(a, b) }
public func * (a: Variable, b: Variable) -> Variable { same(a, b).multiply(a, b) }
public func / (a: Variable, b: Variable) -> Variable { same(a, b).divide(a, b) }
public prefix func - (a: Variable) -> Variable { a.recorder.negate(a) }
public func + (a: Variable, b: Double) -> Variable { a + a.recorder.constant(b) }
public func + (a: Double, b: Variable) -> Variable { b.recorder.constant(a) + b }
public func - (a: Variable, b: Double) -> Variable { a - a.recorder.constant(b) }
public func - (a: Double, b: Variable) -> Variable { b.recorder.constant(a) - b }
public func * (a: Variable, b: Double) -> Variable { a * a.recorder.constant(b) }
public func * (a: Double, b: Variable) -> Variable { b.recorder.constant(a) * b }
public func / (a: Variable, b: Double) -> Variable { a / a.recorder.constant(b) }
public func / (a: Double, b: Variable) -> Variable { b.recorder.constant(a) / b }

precedencegroup PowerPrecedence {
    higherThan: MultiplicationPrecedence
    associativity: right
}
infix operator ** : PowerPrecedence
/// a ** b = a^b (a > 0), recorded through `TapeRecorder.power`.
public func ** (a: Variable, b: Variable) -> Variable { same(a, b).power(a, b) }
public func ** (a: Variable, b: Double) -> Variable { a.recorder.power(a, a.recorder.constant(b)) }

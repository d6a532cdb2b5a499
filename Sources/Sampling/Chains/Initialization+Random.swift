extension Initialization {
    /// Why no initial point could be used.
    public enum Failure: Error, CustomStringConvertible {
        case noFiniteInitialPoint(attempts: Int, radius: Double)
        case wrongDimension(expected: Int, got: Int)
        case nonFiniteAt(point: [Double])

        public var description: String {
            switch self {
            case .noFiniteInitialPoint(let n, let r):
                return "Initialization: no finite log density and gradient after \(n) uniform(-\(r), \(r)) draws; give an initial point or check the model"
            case .wrongDimension(let e, let g):
                return "Initialization: initial point has \(g) coordinates, the model has \(e)"
            case .nonFiniteAt(let p):
                return "Initialization: the log density or its gradient is not finite at the given initial point \(p)"
            }
        }
    }

    /// The initial point of `chain` (Stan `services/util/initialize.hpp`, without its
    /// constrained-scale inits): returns the point and the gradient evaluations spent.
    func initialPoint<D: LogDensity>(chain: Int, density: inout D,
                                     rng: inout Xoshiro256StarStar) throws(Failure) -> (point: [Double], evaluations: Int) {
        let d = density.dimension
        var gradient = [Double](repeating: 0, count: d)
        func finite(_ q: [Double], _ density: inout D) -> Bool {
            let lp = density.logDensity(at: q, gradient: &gradient)
            return lp.isFinite && gradient.allSatisfy(\.isFinite)
        }
        switch self {
        case .uniform(let radius):
            var q = [Double](repeating: 0, count: d)
            for attempt in 1...Self.maxAttempts {
                for i in 0..<d { q[i] = rng.uniform(in: -radius, radius) }
                if finite(q, &density) { return (q, attempt) }
            }
            throw .noFiniteInitialPoint(attempts: Self.maxAttempts, radius: radius)
        case .point(let q):
            guard q.count == d else { throw .wrongDimension(expected: d, got: q.count) }
            guard finite(q, &density) else { throw .nonFiniteAt(point: q) }
            return (q, 1)
        case .points(let qs):
            precondition(!qs.isEmpty, "Initialization.points: no points given")
            let q = qs[chain % qs.count]
            guard q.count == d else { throw .wrongDimension(expected: d, got: q.count) }
            guard finite(q, &density) else { throw .nonFiniteAt(point: q) }
            return (q, 1)
        }
    }
}

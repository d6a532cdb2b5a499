import LinearAlgebra

/// A metric is stored as its kind and M^-1 (diagonal entries or the row-major matrix); decoding
/// re-validates it and, for a dense metric, re-factors it. Lets a daemon persist an adaptation
/// and warm-start from it later.
extension Metric: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, dimension, inverseMass
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(Kind.self, forKey: .kind)
        let d = try c.decode(Int.self, forKey: .dimension)
        let values = try c.decode([Double].self, forKey: .inverseMass)
        switch kind {
        case .diagonal:
            guard values.count == d else {
                throw DecodingError.dataCorruptedError(forKey: .inverseMass, in: c,
                    debugDescription: "diagonal metric of dimension \(d) has \(values.count) entries")
            }
            self = try Metric(diagonalInverseMass: values)
        case .dense:
            guard d >= 0, values.count == d * d else {
                throw DecodingError.dataCorruptedError(forKey: .inverseMass, in: c,
                    debugDescription: "dense metric of dimension \(d) has \(values.count) entries, expected \(d * d)")
            }
            self = try Metric(denseInverseMass: Matrix(rows: d, columns: d, rowMajor: values))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(dimension, forKey: .dimension)
        try c.encode(inverseMassStorage, forKey: .inverseMass)
    }
}

import Foundation

/// The back-test of one forecaster over a corpus: per-curve scores, skipped curves and one
/// summary per horizon ratio (shared/data/README.md, "The back-test protocol").
///
/// JSON (stable field names; see each type's documentation): `forecaster`, `horizons`
/// (`HorizonSummary`, ascending), `curves` (`CurveScore`), `skipped` (`SkippedCurve`).
/// Non-finite numbers are written as the strings "inf", "-inf" and "nan" (a log density of a
/// point mass can be -inf; an empty group has NaN means); use `jsonEncoder` / `jsonDecoder`.
public struct BacktestReport: Sendable, Equatable, Codable {
    public var forecaster: String
    public var horizons: [HorizonSummary]
    public var curves: [CurveScore]
    public var skipped: [SkippedCurve]

    /// Groups the curve scores by horizon and summarizes each horizon (horizons that only have
    /// skipped curves get a summary with no curves).
    public init(forecaster: String, curves: [CurveScore], skipped: [SkippedCurve] = [],
                levels: [Double] = CoverageLevels.protocolLevels,
                bootstrapReplicates: Int = HorizonSummary.defaultBootstrapReplicates,
                bootstrapSeed: UInt64 = HorizonSummary.defaultBootstrapSeed) {
        self.forecaster = forecaster
        self.curves = curves
        self.skipped = skipped
        let hs = Array(Set(curves.map(\.horizon) + skipped.map(\.horizon))).sorted()
        horizons = hs.map { h in
            HorizonSummary(horizon: h, curves: curves.filter { $0.horizon == h },
                           skippedCount: skipped.filter { $0.horizon == h }.count,
                           levels: levels, bootstrapReplicates: bootstrapReplicates,
                           bootstrapSeed: bootstrapSeed)
        }
    }

    /// A JSON encoder with sorted keys and the non-finite number convention above.
    public static var jsonEncoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    /// The matching decoder.
    public static var jsonDecoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    public func jsonData() throws -> Data { try Self.jsonEncoder.encode(self) }

    public init(jsonData: Data) throws { self = try Self.jsonDecoder.decode(Self.self, from: jsonData) }
}

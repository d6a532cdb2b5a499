import Foundation

/// A declared learning-rate schedule, as in the `schedule` objects of the data manifest
/// (`../shared/data/MANIFEST.json`), e.g.
/// ```
/// {"kind": "wsd", "warmup": 2160, "total": 24000, "decay_start": 20000, "peak": 0.0003,
///  "end": 3e-05, "decay_shape": "exponential"}
/// ```
/// Fields (steps are integers, rates positive numbers):
/// - every kind: `kind`, `total` (last step), `peak`; optional `warmup` (steps, default 0),
///   `warmup_shape` (`"linear"`, the default, or `"constant"`) and `warmup_lr` (the rate during a
///   constant warmup, required for it), and `note` (free text, ignored);
/// - `constant`: nothing more;
/// - `constant_after_warmup` (the manifest's form for runs whose schedule is only known to be
///   flat): `peak` (default 1: only ratios of rates matter), `warmup` (default 0) and `total`
///   (default: the end of the warmup; the rate holds after the last step anyway) are optional;
/// - `cosine`: `end` (rate at `total`);
/// - `linear`: `end`;
/// - `wsd`: `decay_start`, `end`, `decay_shape` (`"exponential"`, `"linear"` or `"sqrt"`);
/// - `two_stage`: `second` (rate from `switch` on), `switch`;
/// - `step`: `milestones` (steps where the rate is multiplied by `factor`), `factor`;
/// - `explicit`: `rates` (one rate per step from `first_step`, default 1); `warmup` then only
///   says where the warmup ends (see `LearningRateSchedule.init(steps:rates:warmup:total:interpolation:)`).
///
/// Unknown fields are refused (a misspelt optional field would otherwise be ignored silently).
public struct ScheduleSpecification: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case constant, cosine, linear, wsd
        case twoStage = "two_stage"
        case step, explicit
        case constantAfterWarmup = "constant_after_warmup"
    }

    /// The kind a manifest gives a run whose schedule is not known: `parseDeclared` reads it as
    /// "no declared schedule".
    public static let unknownKind = "unknown"

    public enum DecayShape: String, Sendable, Codable, CaseIterable { case exponential, linear, sqrt }
    public enum WarmupShape: String, Sendable, Codable, CaseIterable { case linear, constant }

    public var kind: Kind
    public var warmup: Int
    public var total: Int
    public var peak: Double
    public var warmupShape: WarmupShape
    public var warmupRate: Double?
    public var end: Double?
    public var decayStart: Int?
    public var decayShape: DecayShape?
    public var second: Double?
    public var switchStep: Int?
    public var milestones: [Int]?
    public var factor: Double?
    public var rates: [Double]?
    public var firstStep: Int?
    public var note: String?

    public init(kind: Kind, warmup: Int = 0, total: Int, peak: Double, warmupShape: WarmupShape = .linear,
                warmupRate: Double? = nil, end: Double? = nil, decayStart: Int? = nil, decayShape: DecayShape? = nil,
                second: Double? = nil, switchStep: Int? = nil, milestones: [Int]? = nil, factor: Double? = nil,
                rates: [Double]? = nil, firstStep: Int? = nil) {
        self.kind = kind; self.warmup = warmup; self.total = total; self.peak = peak
        self.warmupShape = warmupShape; self.warmupRate = warmupRate; self.end = end
        self.decayStart = decayStart; self.decayShape = decayShape; self.second = second
        self.switchStep = switchStep; self.milestones = milestones; self.factor = factor
        self.rates = rates; self.firstStep = firstStep
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, warmup, total, peak, end, second, milestones, factor, rates
        case warmupShape = "warmup_shape", warmupRate = "warmup_lr", decayStart = "decay_start"
        case decayShape = "decay_shape", switchStep = "switch", firstStep = "first_step"
        case note
    }

    /// The fields each kind accepts besides the common ones.
    static func fields(of kind: Kind) -> [CodingKeys] {
        switch kind {
        case .constant, .constantAfterWarmup: return []
        case .cosine, .linear: return [.end]
        case .wsd: return [.decayStart, .end, .decayShape]
        case .twoStage: return [.second, .switchStep]
        case .step: return [.milestones, .factor]
        case .explicit: return [.rates, .firstStep]
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let kindName = try c.decodeIfPresent(String.self, forKey: .kind) else {
            throw ScheduleError.missingField("kind", kind: nil, hint: "one of \(Self.kindList)")
        }
        guard let kind = Kind(rawValue: kindName) else { throw ScheduleError.unknownKind(kindName) }
        self.kind = kind
        // Unknown fields for this kind.
        let allowed = Set((Self.commonFields + Self.fields(of: kind)).map(\.stringValue))
        let present = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        for name in present.sorted() where !allowed.contains(name) {
            throw ScheduleError.unknownField(name, kind: kindName, allowed: allowed.sorted())
        }
        func required<T: Decodable>(_ type: T.Type, _ key: CodingKeys, _ hint: String) throws -> T {
            guard let v = try c.decodeIfPresent(type, forKey: key) else {
                throw ScheduleError.missingField(key.stringValue, kind: kindName, hint: hint)
            }
            return v
        }
        warmup = try c.decodeIfPresent(Int.self, forKey: .warmup) ?? 0
        note = try c.decodeIfPresent(String.self, forKey: .note)
        peak = kind == .constantAfterWarmup ? try c.decodeIfPresent(Double.self, forKey: .peak) ?? 1
                                            : try required(Double.self, .peak, "the largest learning rate (after warmup)")
        warmupShape = try c.decodeIfPresent(WarmupShape.self, forKey: .warmupShape) ?? .linear
        warmupRate = try c.decodeIfPresent(Double.self, forKey: .warmupRate)
        switch kind {
        case .explicit:
            rates = try required([Double].self, .rates, "the learning rate of every step, from first_step (default 1) on")
            firstStep = try c.decodeIfPresent(Int.self, forKey: .firstStep)
            total = try c.decodeIfPresent(Int.self, forKey: .total) ?? ((firstStep ?? 1) + rates!.count - 1)
        case .constantAfterWarmup:
            total = try c.decodeIfPresent(Int.self, forKey: .total) ?? warmup + 1
        default:
            total = try required(Int.self, .total, "the last training step")
        }
        switch kind {
        case .constant, .explicit, .constantAfterWarmup: break
        case .cosine, .linear:
            end = try required(Double.self, .end, "the learning rate at the last step (0 for a decay to zero)")
        case .wsd:
            decayStart = try required(Int.self, .decayStart, "the step where the cooldown begins")
            end = try required(Double.self, .end, "the learning rate at the last step")
            decayShape = try required(DecayShape.self, .decayShape, "\"exponential\", \"linear\" or \"sqrt\"")
        case .twoStage:
            second = try required(Double.self, .second, "the learning rate from the switch step on")
            switchStep = try required(Int.self, .switchStep, "the first step at the second learning rate")
        case .step:
            milestones = try required([Int].self, .milestones, "the steps where the learning rate is multiplied by factor")
            factor = try required(Double.self, .factor, "the multiplier applied at each milestone, e.g. 0.1")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(warmup, forKey: .warmup)
        try c.encode(total, forKey: .total)
        try c.encode(peak, forKey: .peak)
        if warmupShape != .linear { try c.encode(warmupShape, forKey: .warmupShape) }
        try c.encodeIfPresent(warmupRate, forKey: .warmupRate)
        try c.encodeIfPresent(end, forKey: .end)
        try c.encodeIfPresent(decayStart, forKey: .decayStart)
        try c.encodeIfPresent(decayShape, forKey: .decayShape)
        try c.encodeIfPresent(second, forKey: .second)
        try c.encodeIfPresent(switchStep, forKey: .switchStep)
        try c.encodeIfPresent(milestones, forKey: .milestones)
        try c.encodeIfPresent(factor, forKey: .factor)
        try c.encodeIfPresent(rates, forKey: .rates)
        try c.encodeIfPresent(firstStep, forKey: .firstStep)
        try c.encodeIfPresent(note, forKey: .note)
    }

    static let commonFields: [CodingKeys] = [.kind, .warmup, .total, .peak, .warmupShape, .warmupRate, .note]
    static let kindList = Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")

    /// Parses a schedule object from JSON, with errors that name the field.
    public static func parse(json: Data) throws(ScheduleError) -> ScheduleSpecification {
        do {
            return try JSONDecoder().decode(ScheduleSpecification.self, from: json)
        } catch let error as ScheduleError {
            throw error
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            throw .badValue(Self.path(context.codingPath), expected: "\(type)")
        } catch let DecodingError.dataCorrupted(context) {
            if context.codingPath.isEmpty { throw .notJSON(context.debugDescription) }
            throw .badValue(Self.path(context.codingPath), expected: context.debugDescription)
        } catch {
            throw .notJSON("\(error)")
        }
    }

    /// Parses a schedule object from a JSON string.
    public static func parse(json: String) throws(ScheduleError) -> ScheduleSpecification {
        try parse(json: Data(json.utf8))
    }

    /// Parses a schedule object that may declare the schedule unknown (`{"kind": "unknown"}`, as
    /// the data manifest does for logs without one): nil then, otherwise `parse(json:)`.
    public static func parseDeclared(json: Data) throws(ScheduleError) -> ScheduleSpecification? {
        if let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
           object["kind"] as? String == unknownKind {
            return nil
        }
        return try parse(json: json)
    }

    static func path(_ codingPath: [CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Why a schedule could not be built; every message names the field and what to do.
public enum ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    case notJSON(String)
    case unknownKind(String)
    case missingField(String, kind: String?, hint: String)
    case unknownField(String, kind: String, allowed: [String])
    case badValue(String, expected: String)
    case invalid(field: String, reason: String)
    case observed(String)

    public var description: String {
        switch self {
        case .notJSON(let detail):
            return "schedule: not a JSON object (\(detail)); give an object such as {\"kind\": \"cosine\", \"warmup\": 2000, \"total\": 24000, \"peak\": 3e-4, \"end\": 3e-5}"
        case .unknownKind(let k):
            return "schedule field \"kind\": unknown kind \"\(k)\"; use one of \(ScheduleSpecification.kindList) (or \"unknown\" for no schedule)"
        case .missingField(let f, let kind, let hint):
            let of = kind.map { " of kind \"\($0)\"" } ?? ""
            return "schedule\(of): missing field \"\(f)\" (\(hint)); add it to the schedule object"
        case .unknownField(let f, let kind, let allowed):
            return "schedule of kind \"\(kind)\": unknown field \"\(f)\"; the fields of this kind are \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))"
        case .badValue(let f, let expected):
            return "schedule field \"\(f)\": wrong type or value (expected \(expected)); fix the value"
        case .invalid(let f, let reason):
            return "schedule field \"\(f)\": \(reason)"
        case .observed(let reason):
            return "learning-rate column: \(reason)"
        }
    }
}

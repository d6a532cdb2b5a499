import Foundation

/// Answers to the elicitation questions, from a JSON file (`--answers FILE.json`) or typed lines.
///
/// File format (values in the curve's units; every key optional, `"skip"` = keep the default):
/// ```json
/// {"current": {"step": 10000, "loss": 3.1},
///  "floor": {"0.05": 1.8, "0.5": 2.0, "0.95": 2.3},
///  "exponent": "skip",
///  "future": {"at": "10x", "quantiles": {"0.05": 2.3, "0.95": 2.6}}}
/// ```
/// `current` is needed without `--curve` (the normalization refs: step_ref and loss_ref);
/// `future.at` is a multiple of the current step (`"10x"`) or a step (`100000`).
public struct Answers: Sendable, Hashable {
    public enum At: Sendable, Hashable {
        case multiple(Double)
        case step(Double)
    }

    public var currentStep: Double?
    public var currentLoss: Double?
    public var floor: [QuantilePoint]?
    public var exponent: [QuantilePoint]?
    public var futureAt: At?
    public var futureQuantiles: [QuantilePoint]?

    public init() {}

    public static func parse(_ data: Data) throws(ElicitationError) -> Answers {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ElicitationError("answers: not a JSON object; see 'curvecast elicit --help' for the format")
        }
        let known: Set<String> = ["current", "floor", "exponent", "future"]
        for key in object.keys.sorted() where !known.contains(key) {
            throw ElicitationError("answers: unknown key '\(key)'; allowed: current, floor, exponent, future")
        }
        var answers = Answers()
        if let current = object["current"] {
            guard let c = current as? [String: Any], let step = number(c["step"]), let loss = number(c["loss"]) else {
                throw ElicitationError("answers: $.current must be {\"step\": S, \"loss\": L} with numbers")
            }
            guard step > 0, loss > 0 else { throw ElicitationError("answers: $.current: step and loss must be > 0") }
            answers.currentStep = step
            answers.currentLoss = loss
        }
        answers.floor = try quantiles(object["floor"], path: "$.floor")
        answers.exponent = try quantiles(object["exponent"], path: "$.exponent")
        if let future = object["future"], (future as? String) != "skip" {
            guard let f = future as? [String: Any] else {
                throw ElicitationError("answers: $.future must be {\"at\": \"10x\" | STEP, \"quantiles\": {...}} or \"skip\"")
            }
            guard let at = f["at"] else { throw ElicitationError("answers: $.future.at is missing (\"10x\" or a step)") }
            let text = (at as? String) ?? number(at).map { "\($0)" } ?? ""
            answers.futureAt = try parseAt(text)
            guard let q = try quantiles(f["quantiles"], path: "$.future.quantiles") else {
                throw ElicitationError("answers: $.future.quantiles is missing; give e.g. {\"0.05\": 2.3, \"0.95\": 2.6}")
            }
            answers.futureQuantiles = q
        }
        return answers
    }

    static func quantiles(_ value: Any?, path: String) throws(ElicitationError) -> [QuantilePoint]? {
        guard let value, (value as? String) != "skip" else { return nil }
        guard let dict = value as? [String: Any] else {
            throw ElicitationError("answers: \(path) must be an object of quantiles like {\"0.05\": v, \"0.95\": v} or \"skip\"")
        }
        var points: [QuantilePoint] = []
        for (key, v) in dict {
            guard let p = Double(key), let x = number(v) else {
                throw ElicitationError("answers: \(path): '\(key)' must be a probability like \"0.05\" with a number value")
            }
            points.append(QuantilePoint(p, x))
        }
        return points
    }

    static func number(_ value: Any?) -> Double? {
        // Booleans arrive as Bool or as NSNumber of type "c"; `is Bool` would also catch 0 and 1.
        guard let value, type(of: value) != Bool.self, let n = value as? NSNumber,
              String(cString: n.objCType) != "c", n.doubleValue.isFinite else { return nil }
        return n.doubleValue
    }

    /// `10x` (a multiple of the current step) or a step (`100000`, `1e5`).
    public static func parseAt(_ text: String) throws(ElicitationError) -> At {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasSuffix("x"), let m = Double(t.dropLast()), m.isFinite, m > 0 { return .multiple(m) }
        if let s = Double(t), s.isFinite, s > 0 { return .step(s) }
        throw ElicitationError("'\(text)' is not a step > 0 or a multiple like 10x")
    }

    /// A typed line of quantiles: `0.05=1.8 0.5=2.0 0.95=2.3` (commas or spaces; `5%=1.8` also
    /// works); nil for `skip` or an empty line.
    public static func parseQuantileLine(_ line: String) throws(ElicitationError) -> [QuantilePoint]? {
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text.lowercased() == "skip" { return nil }
        var points: [QuantilePoint] = []
        for piece in text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) {
            let parts = piece.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw ElicitationError("'\(piece)' is not PROBABILITY=VALUE; write e.g. 0.05=1.8 0.5=2.0 0.95=2.3, or skip")
            }
            var pText = String(parts[0])
            var scale = 1.0
            if pText.hasSuffix("%") { pText.removeLast(); scale = 0.01 }
            guard let p = Double(pText), let v = Double(parts[1]), v.isFinite else {
                throw ElicitationError("'\(piece)' is not PROBABILITY=VALUE with numbers; write e.g. 0.05=1.8")
            }
            points.append(QuantilePoint(p * scale, v))
        }
        return points
    }
}

extension Elicitor {
    /// The table "quantity | quantile | asked | implied | miss".
    public static func comparisonTable(_ rows: [Row]) -> String {
        guard !rows.isEmpty else { return "no judgements given: the default prior is kept" }
        var lines = [pad("quantity", 24) + pad("quantile", 10) + pad("asked", 10) + pad("implied", 10) + "miss"]
        for r in rows {
            lines.append(pad(r.quantity, 24) + pad(percent(r.probability), 10) + pad(format(r.asked), 10)
                         + pad(format(r.implied), 10) + String(format: "%.1f%%", r.relativeError * 100))
        }
        return lines.joined(separator: "\n")
    }

    /// A text fan chart: one row per multiple of the current step, the 5-95% range as `-`, the
    /// 25-75% range as `=`, the median as `|`, on a shared axis.
    public static func fanChartText(_ fan: [(multiple: Double, quantiles: [Double])], width: Int = 40) -> String {
        let all = fan.flatMap(\.quantiles).filter(\.isFinite)
        guard let lo = all.min(), let hi = all.max(), hi > lo else { return "(prior predictive is degenerate)" }
        func column(_ x: Double) -> Int { min(width - 1, max(0, Int(((x - lo) / (hi - lo) * Double(width - 1)).rounded()))) }
        var lines = ["prior predictive of the loss (mean curve; 5-95% -, 25-75% =, median |):",
                     pad("", 7) + pad(format(lo), width - 6) + format(hi)]
        for row in fan {
            let q = row.quantiles
            var bar = [Character](repeating: " ", count: width)
            for c in column(q[0])...column(q[4]) { bar[c] = "-" }
            for c in column(q[1])...column(q[3]) { bar[c] = "=" }
            bar[column(q[2])] = "|"
            let label = pad(format(row.multiple) + "x", 7)
            lines.append(label + String(bar) + "  median \(format(q[2])), 90% [\(format(q[0])), \(format(q[4]))]")
        }
        return lines.joined(separator: "\n")
    }
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }

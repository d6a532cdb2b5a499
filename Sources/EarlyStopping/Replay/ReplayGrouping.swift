import CurveModels
import Forecasting

/// How `curvecast replay --group-by KEY,KEY,...` splits a corpus into populations: curves with
/// equal values of every key form one population, named by those values joined with " | ".
///
/// Keys are fields of the curve's manifest entry (nested objects flattened with dots:
/// `schedule.total`, `schedule.kind`, `model`, `metric`, `last_step`) or one of the derived keys:
/// - `study`: the first component of the id (`gemstones`, `mpl`);
/// - `folder`: the id without its last component (`gemstones/half-lr`, `mpl/25M`);
/// - `id`: the id itself (every curve alone).
/// A curve without the field gets "-" for it.
public struct ReplayGrouping: Sendable, Equatable {
    public static let derivedKeys = ["study", "folder", "id"]

    public let keys: [String]

    public enum GroupingError: Error, Equatable, CustomStringConvertible {
        case noKeys
        case unknownKey(String, available: [String])

        public var description: String {
            switch self {
            case .noKeys: return "--group-by needs at least one key (e.g. folder, or folder,schedule.total)"
            case .unknownKey(let key, let available):
                return "--group-by: no curve has a field '\(key)'; keys: \(available.joined(separator: ", "))"
            }
        }
    }

    public init(keys: [String]) throws(GroupingError) {
        guard !keys.isEmpty else { throw .noKeys }
        self.keys = keys
    }

    /// The value of `key` for a curve.
    public static func value(of key: String, id: String, fields: [String: String]) -> String {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        switch key {
        case "study": return String(parts.first ?? Substring(id))
        case "folder": return parts.count > 1 ? parts.dropLast().joined(separator: "/") : id
        case "id": return id
        default: return fields[key] ?? "-"
        }
    }

    /// The curves grouped by the keys, in the order of first appearance; groups with fewer than
    /// `minimumRuns` curves are returned apart (a population of one or two runs says little).
    /// `schedules`: the curves' learning-rate schedules by id (`ReplayRun.schedule`).
    public func populations(_ curves: [BacktestCorpus.Curve], schedules: [String: LearningRateSchedule] = [:],
                            minimumRuns: Int = 3) throws
        -> (populations: [ReplayPopulation], tooSmall: [(name: String, runs: Int)]) {
        let available = Set(curves.flatMap(\.fields.keys))
        for key in keys where !Self.derivedKeys.contains(key) && !available.contains(key) {
            throw GroupingError.unknownKey(key, available: Self.derivedKeys + available.sorted())
        }
        var names: [String] = []
        var members: [String: [BacktestCorpus.Curve]] = [:]
        for curve in curves {
            let name = keys.map { Self.value(of: $0, id: curve.id, fields: curve.fields) }.joined(separator: " | ")
            if members[name] == nil { names.append(name) }
            members[name, default: []].append(curve)
        }
        var populations: [ReplayPopulation] = [], tooSmall: [(name: String, runs: Int)] = []
        for name in names {
            let group = members[name]!
            guard group.count >= minimumRuns else {
                tooSmall.append((name, group.count))
                continue
            }
            populations.append(try ReplayPopulation(name: name, runs: group.map { ($0.id, $0.steps, $0.values) },
                                                    schedules: schedules))
        }
        return (populations, tooSmall)
    }
}

import Foundation
import Testing
import TestSupport

@testable import CurveModels

/// The mpl curves of the manifest: id, file, schedule object (as JSON text).
enum MPLCurves {
    struct Entry: Sendable, CustomStringConvertible {
        let id: String
        let file: String
        let scheduleJSON: String
        var description: String { id }
    }

    static let entries: [Entry] = {
        guard let data = try? Data(contentsOf: RepositoryPaths.sharedFile("MANIFEST.json")),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let curves = root["curves"] as? [[String: Any]] else { return [] }
        return curves.compactMap { curve in
            guard let id = curve["id"] as? String, id.hasPrefix("mpl/"), let file = curve["file"] as? String,
                  let schedule = curve["schedule"],
                  let json = try? JSONSerialization.data(withJSONObject: schedule) else { return nil }
            return Entry(id: id, file: file, scheduleJSON: String(decoding: json, as: UTF8.self))
        }
    }()

    /// step, lr, loss columns.
    static func read(_ entry: Entry) throws -> (steps: [Int], lr: [Double], loss: [Double]) {
        let text = try String(contentsOf: RepositoryPaths.sharedFile(entry.file), encoding: .utf8)
        var steps: [Int] = [], lr: [Double] = [], loss: [Double] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            steps.append(Int(f[0])!); lr.append(Double(f[1])!); loss.append(Double(f[2])!)
        }
        return (steps, lr, loss)
    }
}

struct LearningRateScheduleTests {
    @Test func theManifestHasEighteenMPLCurves() {
        #expect(MPLCurves.entries.count == 18)
    }

    /// The declared schedule objects reproduce the exact logged lr column of every mpl curve.
    @Test(arguments: MPLCurves.entries)
    func manifestSchedulesReproduceTheLoggedLearningRate(_ entry: MPLCurves.Entry) throws {
        let schedule = try LearningRateSchedule(json: entry.scheduleJSON)
        let (steps, lr, _) = try MPLCurves.read(entry)
        var worst = 0.0
        for (s, logged) in zip(steps, lr) {
            let r = schedule.rate(atStep: s)
            worst = max(worst, abs(r - logged) / logged)
        }
        #expect(worst < 1e-9, "\(entry.id): worst relative error \(worst)")
        #expect(schedule.peak == 3e-4 && schedule.warmupSteps == 2160)
        // Linear warmup from 0 at step 0 to the peak at the last warmup step.
        #expect(schedule.rates[0] == 0 && isClose(schedule.rates[1], 3e-4 / 2160, relative: 1e-14))
        #expect(schedule.rates[2160] == 3e-4)
    }

    /// The logged column alone (with the declared warmup) gives the same schedule at the logged
    /// steps, and a faithful one in between.
    @Test(arguments: MPLCurves.entries.filter { $0.id.contains("25M") })
    func observedColumnWithDeclaredWarmup(_ entry: MPLCurves.Entry) throws {
        let declared = try LearningRateSchedule(json: entry.scheduleJSON)
        let (steps, lr, _) = try MPLCurves.read(entry)
        let interpolation: LearningRateSchedule.Interpolation = entry.id.contains("wsdcon") ? .hold : .linear
        let observed = try LearningRateSchedule(steps: steps, rates: lr, warmup: 2160, total: declared.total,
                                                interpolation: interpolation)
        #expect(observed.warmupSteps == 2160 && observed.total == declared.total)
        #expect(isClose(observed.peak, 3e-4, relative: 1e-12))
        for (s, logged) in zip(steps, lr) { #expect(observed.rate(atStep: s) == logged) }
        // The unlogged warmup is the linear ramp of the declared schedule.
        for s in [0, 1, 1000, 2160] { #expect(isClose(observed.rate(atStep: s), declared.rate(atStep: s), relative: 1e-12, absolute: 1e-18)) }
        // Total area matches to the interpolation error of a 128-step log.
        let a = observed.rates.reduce(0, +), b = declared.rates.reduce(0, +)
        #expect(isClose(a, b, relative: 2e-3), "\(entry.id): area \(a) vs \(b)")
    }

    @Test func everyKindFollowsItsFormula() throws {
        let cos = try LearningRateSchedule(json: #"{"kind":"cosine","warmup":10,"total":110,"peak":2,"end":0.5}"#)
        #expect(cos.rates.count == 111 && cos.rates[10] == 2 && isClose(cos.rates[110], 0.5, relative: 1e-15))
        #expect(isClose(cos.rates[60], 1.25, relative: 1e-15))
        let lin = try LearningRateSchedule(json: #"{"kind":"linear","warmup":0,"total":100,"peak":1,"end":0}"#)
        #expect(lin.rates[0] == 1 && lin.rates[50] == 0.5 && lin.rates[100] == 0 && lin.warmupSteps == 0)
        let sqrt = try LearningRateSchedule(json: #"{"kind":"wsd","total":100,"peak":1,"end":0,"decay_start":60,"decay_shape":"sqrt"}"#)
        #expect(sqrt.rates[60] == 1 && isClose(sqrt.rates[70], 0.5, relative: 1e-15) && sqrt.rates[100] == 0)
        let exp = try LearningRateSchedule(json: #"{"kind":"wsd","total":100,"peak":1,"end":0.01,"decay_start":60,"decay_shape":"exponential"}"#)
        #expect(isClose(exp.rates[80], 0.1, relative: 1e-14))
        let two = try LearningRateSchedule(json: #"{"kind":"two_stage","warmup":5,"total":20,"peak":1,"second":0.3,"switch":12}"#)
        #expect(two.rates[11] == 1 && two.rates[12] == 0.3 && two.rates[3] == 0.6)
        let step = try LearningRateSchedule(json: #"{"kind":"step","total":30,"peak":1,"milestones":[20,10],"factor":0.5}"#)
        #expect(step.rates[9] == 1 && step.rates[10] == 0.5 && step.rates[20] == 0.25 && step.rates[30] == 0.25)
        let constWarm = try LearningRateSchedule(json: #"{"kind":"constant","warmup":4,"total":10,"peak":1,"warmup_shape":"constant","warmup_lr":0.1}"#)
        #expect(constWarm.rates[0...4] == [0.1, 0.1, 0.1, 0.1, 1])
        let list = try LearningRateSchedule(json: #"{"kind":"explicit","peak":1,"rates":[1,1,0.5,0.25]}"#)
        #expect(list.rates == [1, 1, 1, 0.5, 0.25] && list.total == 4)
        // Held past the end.
        #expect(list.rate(atStep: 1000) == 0.25)
        // Codable round trip.
        let spec = try ScheduleSpecification.parse(json: #"{"kind":"wsd","warmup":2,"total":100,"peak":1,"end":0.01,"decay_start":60,"decay_shape":"linear"}"#)
        let again = try JSONDecoder().decode(ScheduleSpecification.self, from: JSONEncoder().encode(spec))
        #expect(again == spec)
    }

    /// The mpl kinds with their 2160-step linear warmup, against rates worked out by hand
    /// (P = 3e-4, end 3e-5, W = 2160).
    @Test func declaredKindsAtHandPickedSteps() throws {
        let common = #""warmup": 2160, "peak": 0.0003"#
        // NaN when the JSON does not parse, so that every comparison below fails.
        func rate(_ json: String, _ step: Int) -> Double { (try? LearningRateSchedule(json: json))?.rate(atStep: step) ?? .nan }
        let cosine = #"{"kind": "cosine", "total": 24000, "end": 3e-05, "# + common + "}"
        #expect(isClose(rate(cosine, 1080), 1.5e-4, relative: 1e-14))         // halfway up the warmup
        #expect(isClose(rate(cosine, 13080), 1.65e-4, relative: 1e-13))         // mid-decay: (P + end) / 2
        #expect(isClose(rate(cosine, 7620), 3e-5 + 2.7e-4 * 0.5 * (1 + 0.5.squareRoot()), relative: 1e-13))  // a quarter: cos(pi/4)
        #expect(isClose(rate(cosine, 30000), 3e-5, relative: 1e-13))            // held past the end
        let wsdExp = #"{"kind": "wsd", "total": 24000, "decay_start": 20000, "end": 3e-05, "decay_shape": "exponential", "# + common + "}"
        #expect(rate(wsdExp, 20000) == 3e-4)
        #expect(isClose(rate(wsdExp, 22000), 3e-4 * 0.1.squareRoot(), relative: 1e-13))  // P (end/P)^(1/2)
        let wsdLin = #"{"kind": "wsd", "total": 24000, "decay_start": 20000, "end": 3e-05, "decay_shape": "linear", "# + common + "}"
        #expect(isClose(rate(wsdLin, 23000), 3e-4 - 2.7e-4 * 0.75, relative: 1e-13))
        let wsdSqrt = #"{"kind": "wsd", "total": 24000, "decay_start": 20000, "end": 0, "decay_shape": "sqrt", "# + common + "}"
        #expect(isClose(rate(wsdSqrt, 21000), 3e-4 * 0.5, relative: 1e-13))      // P (1 - sqrt(1/4))
        let twoStage = #"{"kind": "two_stage", "total": 16000, "switch": 8000, "second": 9e-05, "# + common + "}"
        #expect(rate(twoStage, 7999) == 3e-4 && rate(twoStage, 8000) == 9e-5)
        let linear = #"{"kind": "linear", "total": 12160, "end": 0, "# + common + "}"
        #expect(isClose(rate(linear, 4660), 2.25e-4, relative: 1e-13))          // a quarter of the way down
        let step = #"{"kind": "step", "total": 30000, "milestones": [10000, 20000], "factor": 0.1, "# + common + "}"
        #expect(rate(step, 9999) == 3e-4)
        #expect(isClose(rate(step, 10000), 3e-5, relative: 1e-14) && isClose(rate(step, 25000), 3e-6, relative: 1e-14))
        let constantWarmup = #"{"kind": "constant", "total": 24000, "warmup_shape": "constant", "warmup_lr": 1e-05, "# + common + "}"
        #expect(rate(constantWarmup, 0) == 1e-5 && rate(constantWarmup, 2159) == 1e-5 && rate(constantWarmup, 2160) == 3e-4)
        let list = #"{"kind": "explicit", "peak": 0.0003, "first_step": 3, "rates": [0.0001, 0.0002, 0.0003, 0.00015]}"#
        #expect([0, 2, 3, 5, 6, 100].map { rate(list, $0) } == [1e-4, 1e-4, 1e-4, 3e-4, 1.5e-4, 1.5e-4])
        // The manifest's flat kind needs nothing but its name (only ratios of rates matter).
        let flat = try LearningRateSchedule(json: #"{"kind": "constant_after_warmup", "note": "constant LR after warmup"}"#)
        #expect(flat.peak == 1 && flat.rate(atStep: 0) == 1 && flat.rate(atStep: 1_000_000) == 1 && !flat.annealsAfterWarmup)
        let flatWarm = try LearningRateSchedule(json: #"{"kind": "constant_after_warmup", "warmup": 100, "peak": 0.001}"#)
        #expect(isClose(flatWarm.rate(atStep: 50), 0.0005, relative: 1e-14) && flatWarm.rate(atStep: 5000) == 0.001)
        // Annealing after warmup decides the default model.
        #expect(try LearningRateSchedule(json: cosine).annealsAfterWarmup)
        #expect(try !LearningRateSchedule(json: #"{"kind": "constant", "total": 24000, "# + common + "}").annealsAfterWarmup)
    }

    /// The manifest says "unknown" for logs without a schedule: no declared schedule, not an error.
    @Test func unknownKindIsNoSchedule() throws {
        #expect(try ScheduleSpecification.parseDeclared(json: Data(#"{"kind": "unknown"}"#.utf8)) == nil)
        #expect(try ScheduleSpecification.parseDeclared(json: Data(#"{"kind": "constant", "total": 10, "peak": 1}"#.utf8))?.kind == .constant)
        #expect(throws: ScheduleError.self) { try LearningRateSchedule(json: #"{"kind": "unknown"}"#) }
    }

    @Test func observedColumnWithoutWarmupHoldsAndFindsThePeak() throws {
        let s = try LearningRateSchedule(steps: [2, 4, 8], rates: [0.5, 1, 0.2], interpolation: .linear)
        #expect(zip(s.rates, [0.5, 0.5, 0.5, 0.75, 1, 0.8, 0.6, 0.4, 0.2]).allSatisfy { isClose($0, $1, relative: 1e-14) } && s.rates.count == 9)
        #expect(s.warmupSteps == 4 && s.peak == 1)
        let held = try LearningRateSchedule(steps: [2, 4, 8], rates: [0.5, 1, 0.2], total: 10, interpolation: .hold)
        #expect(held.rates == [0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1, 0.2, 0.2, 0.2])
    }

    static let badSchedules: [(String, String)] = [
        (#"{"kind":"cosin","total":10,"peak":1,"end":0}"#, #"field "kind": unknown kind "cosin""#),
        (#"{"total":10,"peak":1}"#, #"missing field "kind""#),
        (#"{"kind":"wsd","warmup":10,"total":100,"peak":1,"end":0.1,"decay_shape":"linear"}"#, #"missing field "decay_start""#),
        (#"{"kind":"wsd","warmup":10,"total":100,"peak":1,"end":0.1,"decay_start":50}"#, #"missing field "decay_shape""#),
        (#"{"kind":"cosine","warmup":10,"total":100,"peak":1}"#, #"missing field "end""#),
        (#"{"kind":"two_stage","warmup":10,"total":100,"peak":1,"switch":50}"#, #"missing field "second""#),
        (#"{"kind":"constant","warmup":10,"peak":1}"#, #"missing field "total""#),
        (#"{"kind":"constant","warmup":10,"total":100}"#, #"missing field "peak""#),
        (#"{"kind":"constant","warmup":10,"total":100,"peak":1,"decay_strat":5}"#, #"unknown field "decay_strat""#),
        (#"{"kind":"constant","warmup":"ten","total":100,"peak":1}"#, #"field "warmup": wrong type"#),
        (#"{"kind":"wsd","total":100,"peak":1,"end":0.1,"decay_start":50,"decay_shape":"cubic"}"#, #"field "decay_shape""#),
        (#"{"kind":"constant","warmup":100,"total":100,"peak":1}"#, #"field "total": 100 must be larger than warmup"#),
        (#"{"kind":"constant","total":100,"peak":-1}"#, #"field "peak""#),
        (#"{"kind":"wsd","total":100,"peak":1,"end":0,"decay_start":50,"decay_shape":"exponential"}"#, #"field "end": an exponential cooldown needs end > 0"#),
        (#"{"kind":"two_stage","warmup":10,"total":100,"peak":1,"second":0.1,"switch":5}"#, #"field "switch""#),
        (#"{"kind":"constant","warmup":4,"total":10,"peak":1,"warmup_shape":"constant"}"#, #"field "warmup_lr""#),
        ("[1, 2]", "schedule"),
        ("{\"kind\": \"cosine\", \"total\": 10,", "not a JSON object"),
        (#"{"kind":"step","total":30,"peak":1,"milestones":[20,40],"factor":0.5}"#, #"field "milestones": 40 must lie in (warmup, total]"#),
        (#"{"kind":"explicit","peak":1,"rates":[]}"#, #"field "rates""#),
        (#"{"kind":"constant","total":100,"peak":1,"note":5}"#, #"field "note": wrong type"#),
        (#"{"kind":"cosine","total":100,"peak":1,"end":"low"}"#, #"field "end": wrong type"#),
    ]

    @Test(arguments: badSchedules.indices)
    func badScheduleJSONNamesTheField(_ i: Int) {
        let (json, expected) = Self.badSchedules[i]
        do {
            _ = try LearningRateSchedule(json: json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.contains(expected), "\(json): \(error.description)")
        }
    }

    @Test func badObservedColumnsAreRefused() {
        #expect(throws: ScheduleError.self) { try LearningRateSchedule(steps: [1, 1], rates: [1, 1]) }
        #expect(throws: ScheduleError.self) { try LearningRateSchedule(steps: [1, 2], rates: [1, .nan]) }
        #expect(throws: ScheduleError.self) { try LearningRateSchedule(steps: [], rates: []) }
        #expect(throws: ScheduleError.self) { try LearningRateSchedule(steps: [1, 2], rates: [0, 0]) }
    }
}

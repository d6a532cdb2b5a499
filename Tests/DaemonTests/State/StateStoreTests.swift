@testable import Daemon
import Foundation
import Forecasting
import Sampling
import Testing

struct StateStoreTests {
    @Test func decisionsAndStatesComeBackAfterARestart() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = StateStore(root: folder.url)
        #expect(try store.prepare() == 0)
        var state = RunState(run: "r1", source: "/runs/r1.csv")
        state.stopVotes = 1
        state.memory.discrepancyRate = 0.01
        state.memory.calibratedPoints = 40
        state.memory.fits = 7
        state.memory.warmStarts["power_law"] = FitWarmStart(
            model: "power_law", mode: [0.1, -2, 0.5, -5, 1],
            sampler: WarmStart(stepSize: 0.3, metric: try Metric(diagonalInverseMass: [1, 2, 3, 4, 5])))
        try store.writeState(state)
        let decision = DecisionRecord(
            run: "r1", source: "/runs/r1.csv", metric: "loss", direction: .minimize, points: 40, lastStep: 4000,
            lastValue: 3.1, horizon: 80_000, verdict: .continue, reason: "because")
        try store.writeDecision(decision.json.bytes, run: "r1")
        // A crash left a temporary file and a stray file; a state of another layout version.
        try folder.write("decisions/.tmp-r2.json-9-9", "{\"trunc")
        try folder.write("runs/old.json", "{\"version\": 0, \"run\": \"old\"}")
        try folder.write("decisions/bad.json", "not json")

        let restarted = StateStore(root: folder.url)
        #expect(try restarted.prepare() == 1)
        let states = restarted.loadStates()
        #expect(states.keys.sorted() == ["r1"])
        let loaded = try #require(states["r1"])
        #expect(loaded.stopVotes == 1 && loaded.memory.fits == 7 && loaded.memory.calibratedPoints == 40)
        #expect(loaded.memory.warmStarts["power_law"]?.sampler.metric.inverseMassDiagonal == [1, 2, 3, 4, 5])
        let decisions = restarted.loadDecisions()
        #expect(decisions.keys.sorted() == ["r1"])
        let bytes = try #require(decisions["r1"])
        let published = try #require(PublishedDecision(bytes: bytes))
        #expect(published.verdict == "continue" && published.lastStep == 4000 && published.points == 40)
        #expect(published.source == "/runs/r1.csv")
    }

    @Test func pushedPointsAreAppendedAsLines() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = StateStore(root: folder.url)
        _ = try store.prepare()
        try store.appendPushed(Array("{\"step\":1,\"value\":3}\n".utf8), run: "p")
        try store.appendPushed(Array("{\"step\":2,\"value\":2.5}\n".utf8), run: "p")
        #expect(store.pushedRuns().map(\.run) == ["p"])
        #expect(try String(contentsOf: store.pushedFile("p"), encoding: .utf8) == "{\"step\":1,\"value\":3}\n{\"step\":2,\"value\":2.5}\n")
    }
}

import Testing
@testable import EarlyStopping

struct SuccessiveHalvingTests {
    @Test func rungsAreTheHorizonOverPowersOfEtaAfterTheWarmup() {
        #expect(SuccessiveHalving.rungs(horizon: 81, reductionFactor: 3, earliest: 2) == [3, 9, 27])
        #expect(SuccessiveHalving.rungs(horizon: 81, reductionFactor: 3, earliest: 3) == [3, 9, 27])
        #expect(SuccessiveHalving.rungs(horizon: 81, reductionFactor: 3, earliest: 10) == [27])
        #expect(SuccessiveHalving.rungs(horizon: 81, reductionFactor: 3, earliest: 30).isEmpty)
        #expect(SuccessiveHalving.rungs(horizon: 16, reductionFactor: 2, earliest: 1) == [1, 2, 4, 8])
    }

    @Test func promotesTheBestOneInEtaOfTheRunsAtARung() {
        // The first run at a rung always continues; with two or three, only the best of them.
        #expect(SuccessiveHalving.promotes(9, recorded: [], reductionFactor: 3, direction: .minimize))
        #expect(!SuccessiveHalving.promotes(2, recorded: [1], reductionFactor: 3, direction: .minimize))
        #expect(SuccessiveHalving.promotes(1, recorded: [2, 3], reductionFactor: 3, direction: .minimize))
        #expect(!SuccessiveHalving.promotes(2, recorded: [1, 3], reductionFactor: 3, direction: .minimize))
        // Six values: the best two continue; a tie with the second best continues.
        #expect(SuccessiveHalving.promotes(2, recorded: [1, 3, 4, 5, 6], reductionFactor: 3, direction: .minimize))
        #expect(SuccessiveHalving.promotes(2, recorded: [1, 2, 4, 5, 6], reductionFactor: 3, direction: .minimize))
        #expect(!SuccessiveHalving.promotes(3, recorded: [1, 2, 4, 5, 6], reductionFactor: 3, direction: .minimize))
        // Maximize keeps the highest.
        #expect(SuccessiveHalving.promotes(0.9, recorded: [0.8], reductionFactor: 3, direction: .maximize))
        #expect(!SuccessiveHalving.promotes(0.7, recorded: [0.8], reductionFactor: 3, direction: .maximize))
    }

    /// Steps 1 ... 9, horizon 9, eta 3: rungs at 1 and 3.
    static let steps = (1...9).map(Double.init)

    func population(_ curves: [(String, [Double])]) throws -> ReplayPopulation {
        try ReplayPopulation(name: "p", runs: curves.map { ($0.0, Self.steps, $0.1) })
    }

    @Test func stopsLaterRunsThatAreNotAmongTheBestAtARung() throws {
        let p = try population([("a", Array(repeating: 1, count: 9)), ("b", Array(repeating: 2, count: 9)),
                                ("c", Array(repeating: 3, count: 9))])
        let sh = SuccessiveHalving(reductionFactor: 3, minimumPoints: 1)
        // a first: b and c are each worse than a at rung 1 and stop there.
        let best = ReplaySimulator.simulate(sh, population: p, order: [0, 1, 2])
        #expect(best.computeFraction == share([9, 1, 1], of: 27))
        #expect(best.regret == 0)
        // Worst first: each newcomer is the best so far at every rung; everything trains.
        #expect(ReplaySimulator.simulate(sh, population: p, order: [2, 1, 0]).computeFraction == 1)
        // b, c, a: c is worse than b at rung 1 (n = 2, keep 1) and stops; a is the best of three.
        #expect(ReplaySimulator.simulate(sh, population: p, order: [1, 2, 0]).computeFraction == share([9, 1, 9], of: 27))
    }

    @Test func curvesThatCrossCostRegret() throws {
        // late is worse at steps 1-3 and best at the end: behind early at both rungs, it is stopped.
        let early = Array(repeating: 2.0, count: 9)
        let late: [Double] = [3, 3, 3, 1.5, 1.5, 1.5, 1, 1, 1]
        let p = try population([("early", early), ("late", late)])
        let o = ReplaySimulator.simulate(SuccessiveHalving(reductionFactor: 3, minimumPoints: 1), population: p, order: [0, 1])
        #expect(o.regret == 1)
        #expect(o.computeFraction == share([9, 1], of: 18))
    }

    @Test func theWarmupRemovesEarlyRungs() throws {
        let p = try population([("a", Array(repeating: 1, count: 9)), ("b", Array(repeating: 2, count: 9))])
        // Three points needed: the rung at 1 is dropped, b stops at 3.
        let sh = SuccessiveHalving(reductionFactor: 3, minimumPoints: 3)
        #expect(ReplaySimulator.simulate(sh, population: p, order: [0, 1]).computeFraction == share([9, 3], of: 18))
    }
}

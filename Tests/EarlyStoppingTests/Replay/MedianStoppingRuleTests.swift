import Testing
@testable import EarlyStopping

struct MedianStoppingRuleTests {
    @Test func stopsOnlyWhenStrictlyWorseThanTheMedianOfRunningAverages() {
        // Median of 2, 4, 5 is 4.
        #expect(!MedianStoppingRule.shouldStop(bestSoFar: 3, runningAverages: [5, 2, 4], direction: .minimize))
        #expect(!MedianStoppingRule.shouldStop(bestSoFar: 4, runningAverages: [5, 2, 4], direction: .minimize))
        #expect(MedianStoppingRule.shouldStop(bestSoFar: 4.5, runningAverages: [5, 2, 4], direction: .minimize))
        // Even count: the mean of the middle two, 2.5.
        #expect(MedianStoppingRule.shouldStop(bestSoFar: 2.6, runningAverages: [1, 2, 3, 10], direction: .minimize))
        #expect(!MedianStoppingRule.shouldStop(bestSoFar: 2.4, runningAverages: [1, 2, 3, 10], direction: .minimize))
        // Maximize: worse is lower.
        #expect(MedianStoppingRule.shouldStop(bestSoFar: 0.5, runningAverages: [0.6, 0.7, 0.8], direction: .maximize))
        #expect(!MedianStoppingRule.shouldStop(bestSoFar: 0.75, runningAverages: [0.6, 0.7, 0.8], direction: .maximize))
        #expect(!MedianStoppingRule.shouldStop(bestSoFar: 9, runningAverages: [], direction: .minimize))
    }

    /// Steps 1 ... 10.
    static let steps = (1...10).map(Double.init)

    @Test func comparesWithTheRunningAverageNotTheCurrentValueOfEarlierRuns() throws {
        // a falls 10, 9, ..., 1: its running average up to step s is the mean of 10 ... 11 - s,
        // 10.5 - s / 2. b sits at 7, while a sits below 7 from step 5 on: b is stopped only at the
        // first step where 10.5 - s / 2 < 7, s = 8 (average 6.5).
        let population = try ReplayPopulation(name: "p", runs: [
            ("a", Self.steps, Self.steps.map { 11 - $0 }),
            ("b", Self.steps, Array(repeating: 7, count: 10)),
        ])
        let rule = MedianStoppingRule(minimumPoints: 3, warmupSteps: 0)
        let o = ReplaySimulator.simulate(rule, population: population, order: [0, 1])
        #expect(o.computeFraction == share([10, 8], of: 20))
        // b first: nothing to compare with, it finishes. a's best by step 3 (its third point, the
        // first allowed decision) is 8, worse than b's average 7: a, the best run, is stopped
        // there (regret 7 - 1 = 6), the rule's known failure on curves that start badly.
        let reversed = ReplaySimulator.simulate(rule, population: population, order: [1, 0])
        #expect(reversed.computeFraction == share([10, 3], of: 20))
        #expect(reversed.regret == 6)
    }

    @Test func waitsForTheMinimumPointsAndReferenceRuns() throws {
        let population = try ReplayPopulation(name: "p", runs: [
            ("good", Self.steps, Array(repeating: 1, count: 10)),
            ("bad", Self.steps, Array(repeating: 2, count: 10)),
        ])
        let late = MedianStoppingRule(minimumPoints: 6, warmupSteps: 0)
        #expect(ReplaySimulator.simulate(late, population: population, order: [0, 1]).computeFraction == share([10, 6], of: 20))
        let warm = MedianStoppingRule(minimumPoints: 6, warmupSteps: 2)
        #expect(ReplaySimulator.simulate(warm, population: population, order: [0, 1]).computeFraction == share([10, 8], of: 20))
        let patient = MedianStoppingRule(minimumPoints: 1, warmupSteps: 0, minimumReferenceRuns: 2)
        #expect(ReplaySimulator.simulate(patient, population: population, order: [0, 1]).computeFraction == 1)
    }

    @Test func onlyRunsTrainedThroughTheStepAreReferences() throws {
        // c was stopped at step 3 by the time d arrives; from step 4 on only a counts.
        // a: 1 everywhere; c: 5 (stopped at 3 because 5 > 1); d: 3 everywhere.
        // At steps 1-2 d has < 3 points; at step 3 the references are a (1) and c (5): median 3,
        // d's 3 is not strictly worse; at step 4 only a (1) reaches it: d is stopped there.
        let population = try ReplayPopulation(name: "p", runs: [
            ("a", Self.steps, Array(repeating: 1, count: 10)),
            ("c", Self.steps, Array(repeating: 5, count: 10)),
            ("d", Self.steps, Array(repeating: 3, count: 10)),
        ])
        let rule = MedianStoppingRule(minimumPoints: 3, warmupSteps: 0)
        let o = ReplaySimulator.simulate(rule, population: population, order: [0, 1, 2])
        #expect(o.computeFraction == share([10, 3, 4], of: 30))
    }
}

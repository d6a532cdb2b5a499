@testable import Daemon
import Testing

struct FitQueueTests {
    @Test func pointsArrivingDuringTheDebounceAreCoalescedIntoOneFit() {
        var queue = FitQueue(debounce: 2)
        queue.markDirty("a", at: 0)
        #expect(queue.next(at: 0)?.run == "a")
        queue.finished("a")
        // Three points arrive within the debounce: one fit, at 2 s after the previous start,
        // whose oldest change waited 1.5 s.
        queue.markDirty("a", at: 0.5)
        queue.markDirty("a", at: 1.0)
        queue.markDirty("a", at: 1.5)
        #expect(queue.next(at: 1.9) == nil)
        #expect(queue.nextEligibleTime() == 2)
        #expect(queue.next(at: 2).map { [$0.run: $0.waited] } == ["a": 1.5])
        queue.finished("a")
        #expect(queue.next(at: 10) == nil)
        #expect(queue.nextEligibleTime() == nil)
    }

    @Test func theStalestRunGoesFirst() {
        var queue = FitQueue(debounce: 0)
        queue.markDirty("b", at: 5)
        queue.markDirty("a", at: 7)
        queue.markDirty("c", at: 3)
        queue.markDirty("c", at: 6)  // c stays dirty since 3
        #expect(queue.next(at: 8).map { [$0.run: $0.waited] } == ["c": 5])
        #expect(queue.next(at: 8)?.run == "b")
        #expect(queue.next(at: 8)?.run == "a")
        #expect(queue.next(at: 8) == nil)
    }

    @Test func aRunIsFittedByOneWorkerAtATime() {
        var queue = FitQueue(debounce: 1)
        queue.markDirty("a", at: 0)
        #expect(queue.next(at: 0)?.run == "a")
        queue.markDirty("a", at: 0.2)  // new points while being fitted
        #expect(queue.next(at: 5) == nil)
        #expect(queue.nextEligibleTime() == nil)
        queue.finished("a")
        #expect(queue.next(at: 5)?.run == "a")
    }

    @Test func removedRunsAreForgotten() {
        var queue = FitQueue(debounce: 1)
        queue.markDirty("a", at: 0)
        queue.remove("a")
        #expect(queue.next(at: 10) == nil)
    }

    @Test func theSchedulerHandsRunsToWaitingWorkersAndStops() {
        let clock = TestClock()
        let scheduler = FitScheduler(debounce: 0) { clock.now }
        scheduler.markDirty("a")
        #expect(scheduler.nextRun()?.run == "a")
        #expect(scheduler.counts.running == 1)
        scheduler.finished("a")
        scheduler.stop()
        #expect(scheduler.nextRun() == nil)
    }

    @Test func afterARestartTheRunWithTheOldestDecisionGoesFirst() {
        let clock = TestClock()
        let scheduler = FitScheduler(debounce: 0) { clock.now }
        scheduler.markDirty("a", age: 1)
        scheduler.markDirty("b", age: 30)
        scheduler.markDirty("c")
        #expect(scheduler.nextRun().map { [$0.run: $0.waited] } == ["b": 30])
        #expect(scheduler.nextRun()?.run == "a")
        #expect(scheduler.nextRun()?.run == "c")
    }

    final class TestClock: @unchecked Sendable {
        var now = 100.0
    }
}

struct FitBudgetTests {
    @Test func coldWarmAndHurriedSettings() {
        let budget = FitBudget()
        let cold = budget.settings(seed: 1, warmStarts: [:])
        #expect(cold.chains == 1 && cold.warmup == budget.coldWarmup && cold.samples == budget.samples)
        let hurried = budget.settings(seed: 1, warmStarts: [:], hurried: true)
        #expect(hurried.samples == budget.samples / 2)
        var small = FitBudget()
        small.samples = 60
        #expect(small.settings(seed: 1, warmStarts: [:], hurried: true).samples == 50)
        small.samples = 20
        #expect(small.settings(seed: 1, warmStarts: [:], hurried: true).samples == 20)
    }
}

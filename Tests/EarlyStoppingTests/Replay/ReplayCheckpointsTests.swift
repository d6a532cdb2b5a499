import Testing
@testable import EarlyStopping

struct ReplayCheckpointsTests {
    /// Steps 100, 200, ..., 2000.
    let steps = (1...20).map { Double($0) * 100 }

    @Test func aGeometricGridFromTheMinimumPointsToBeforeTheLastPoint() {
        // First at the 5th point (500); then the last step <= 1.5x the previous: 700 (<= 750),
        // 1000 (<= 1050), 1500 (= 1500); 2250 would be the run's last point, where it has finished.
        let grid = ReplayCheckpoints(minimumPoints: 5, warmupSteps: 0, growth: 1.5)
        #expect(grid.indices(steps: steps) == [4, 6, 9, 14])
    }

    @Test func theWarmupDelaysTheFirstCheckpoint() {
        // 100 and 200 do not count: the 5th counted point is 700.
        let grid = ReplayCheckpoints(minimumPoints: 5, warmupSteps: 200, growth: 1.5)
        #expect(grid.indices(steps: steps).first == 6)
    }

    @Test func slowGrowthStillMovesOnePointAtATime() {
        let grid = ReplayCheckpoints(minimumPoints: 18, warmupSteps: 0, growth: 1.01)
        #expect(grid.indices(steps: steps) == [17, 18])
    }

    @Test func runsTooShortForTheGuardHaveNoCheckpoints() {
        let grid = ReplayCheckpoints(minimumPoints: 20, warmupSteps: 0, growth: 1.5)
        #expect(grid.indices(steps: steps).isEmpty)
        #expect(ReplayCheckpoints(minimumPoints: 30).indices(steps: steps).isEmpty)
    }

    @Test func theTableFitsEachRunOnItsPrefixAtEachCheckpointOnce() throws {
        let population = try ReplayPopulation(name: "two", runs: [
            ("a", (1...10).map { Double($0) * 100 }, Array(repeating: 1, count: 10)),
            ("b", [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100], Array(repeating: 2, count: 11)),
        ])
        let grid = ReplayCheckpoints(minimumPoints: 2, warmupSteps: 0, growth: 1.5)
        let table = ReplayForecastTable.build(population, checkpoints: grid, forecaster: EchoForecaster())
        // b is cut at the common horizon 1000, so both runs have the same grid.
        #expect(table.checkpoints == [[1, 2, 3, 5, 8], [1, 2, 3, 5, 8]])
        #expect(table.fitCount == 10)
        // Each forecast saw the prefix up to its checkpoint and the common horizon.
        #expect(table.checkpoints[1].map { table.forecast(run: 1, index: $0)?.draws }
                == [[200, 2, 1000], [300, 3, 1000], [400, 4, 1000], [600, 6, 1000], [900, 9, 1000]])
        #expect(table.strictFailureShare == 0 && table.divergenceFailureShare == 0)
        // Other points are fitted on first use, once.
        #expect(!table.isFitted(run: 0, index: 6))
        #expect(table.forecast(run: 0, index: 6)?.draws == [700, 7, 1000])
        #expect(table.isFitted(run: 0, index: 6) && table.fitCount == 11)
        let failed = ReplayForecastTable.build(population, checkpoints: grid, forecaster: FailingForecaster())
        #expect(failed.strictFailureShare == 1 && failed.divergenceFailureShare == 1)
    }
}

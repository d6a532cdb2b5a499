import CurveModels
import TestSupport
import XCTest
@testable import Elicitation

/// Round trips: the saved prior reproduces every stated quantile within 5%, or a note says why not.
final class ElicitorTests: XCTestCase {
    func elicitor(_ name: String, stepRef: Double = 10_000, lossRef: Double = 3.1) throws -> Elicitor {
        let root = RepositoryPaths.root
        let model = try ModelDefinition.load(contentsOf: root.appendingPathComponent("Models/\(name).model"))
        let prior = try PriorSet.load(contentsOf: root.appendingPathComponent("Priors/\(name).json"))
        return Elicitor(model: model, basePrior: prior, stepRef: stepRef, lossRef: lossRef)
    }

    /// Monte Carlo quantiles of the loss (curve units) at `step` under `prior`, with a seed unlike the fit's.
    func predictiveQuantiles(_ e: Elicitor, _ prior: PriorSet, step: Double, _ ps: [Double]) -> [Double] {
        let sample = PriorPredictive(model: e.model, prior: prior, count: 8000, seed: 12345)
        return empiricalQuantiles(sample.means(at: step / e.stepRef), ps).map { $0 * e.lossRef }
    }

    /// The example: floor above 1.8, loss at 10x between 2.3 and 2.6; saved, re-read, checked.
    func testRoundTripThroughTheSavedFile() throws {
        let e = try elicitor("power_law")
        let floor = [QuantilePoint(0.05, 1.8), QuantilePoint(0.5, 2.0), QuantilePoint(0.95, 2.3)]
        let future = Elicitor.Future(step: 100_000, quantiles: [QuantilePoint(0.05, 2.3), QuantilePoint(0.95, 2.6)])
        let outcome = try e.elicit(.init(floor: floor, future: future))
        XCTAssertTrue(outcome.notes.isEmpty, "\(outcome.notes)")
        for row in outcome.rows { XCTAssertLessThan(row.relativeError, Elicitor.tolerance, "\(row)") }

        let saved = try PriorSet.parse(outcome.prior.jsonData(), file: "elicited.json")
        try saved.validate(against: e.model)
        for p in floor {
            XCTAssertEqual(saved.parameters["E"]!.quantile(p.probability) * e.lossRef, p.value, accuracy: 0.05 * p.value)
        }
        let implied = predictiveQuantiles(e, saved, step: future.step, future.quantiles.map(\.probability))
        for (p, q) in zip(future.quantiles, implied) { XCTAssertEqual(q, p.value, accuracy: 0.05 * p.value, "\(p)") }
    }

    /// Exponent judgements on a broken power law go to alpha1 (the slope after the break).
    func testExponentOfABrokenPowerLaw() throws {
        let e = try elicitor("broken_power_law")
        XCTAssertEqual(e.exponentParameter, "alpha1")
        let outcome = try e.elicit(.init(exponent: [QuantilePoint(0.05, 0.2), QuantilePoint(0.95, 0.9)]))
        XCTAssertEqual(outcome.prior.parameters["alpha1"]!.quantile(0.95), 0.9, accuracy: 1e-6)
        XCTAssertEqual(outcome.prior.parameters["E"], e.basePrior.parameters["E"], "skipped questions keep the defaults")
    }

    /// A future loss below the stated floor cannot be matched; the note says why.
    func testInconsistentJudgementsAreExplained() throws {
        let e = try elicitor("power_law")
        let outcome = try e.elicit(.init(
            floor: [QuantilePoint(0.05, 2.5), QuantilePoint(0.95, 2.8)],
            future: .init(step: 100_000, quantiles: [QuantilePoint(0.05, 2.0), QuantilePoint(0.95, 2.2)])))
        XCTAssertTrue(outcome.rows.contains { $0.relativeError > Elicitor.tolerance })
        XCTAssertTrue(outcome.notes.contains { $0.contains("inconsistent with the floor") }, "\(outcome.notes)")
    }

    /// Questions the model cannot take are refused with a message.
    func testModelWithoutAmplitudeRefusesTheFutureQuestion() throws {
        let e = try elicitor("exp4")
        XCTAssertThrowsError(try e.elicit(.init(future: .init(step: 1e5, quantiles: [QuantilePoint(0.1, 2), QuantilePoint(0.9, 3)])))) {
            XCTAssertTrue("\($0)".contains("no amplitude parameter A"))
        }
    }
}

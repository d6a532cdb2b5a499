import CurveModels
import XCTest
@testable import Elicitation

/// Quantile matching of one parameter and the validation of stated quantiles.
final class QuantileMatchingTests: XCTestCase {
    /// Two quantiles determine a lognormal exactly (a line through two points of log q vs z).
    func testLognormalThroughTwoQuantilesIsExact() {
        let points = [QuantilePoint(0.05, 0.5), QuantilePoint(0.95, 0.8)]
        let fit = QuantileMatching.fit(points, family: .lognormal(mu: -0.5, sigma: 0.8), positive: true)
        XCTAssertLessThan(fit.maximumRelativeError, 1e-9)
        guard case .lognormal = fit.distribution else { return XCTFail("family changed: \(fit.distribution)") }
        for p in points { XCTAssertEqual(fit.distribution.quantile(p.probability), p.value, accuracy: 1e-9) }
    }

    /// Three roughly lognormal quantiles: least squares reproduces each within 5%.
    func testThreeQuantilesWithinTolerance() {
        let points = [QuantilePoint(0.05, 0.55), QuantilePoint(0.5, 0.65), QuantilePoint(0.95, 0.75)]
        let fit = QuantileMatching.fit(points, family: .lognormal(mu: 0, sigma: 1), positive: true)
        XCTAssertLessThan(fit.maximumRelativeError, Elicitor.tolerance)
    }

    /// Gamma and normal families keep their family and match two quantiles closely.
    func testGammaAndNormalFamilies() {
        let points = [QuantilePoint(0.1, 0.3), QuantilePoint(0.9, 1.2)]
        let gamma = QuantileMatching.fit(points, family: .gamma(shape: 2, rate: 2), positive: true)
        guard case .gamma = gamma.distribution else { return XCTFail("\(gamma.distribution)") }
        XCTAssertLessThan(gamma.maximumRelativeError, 1e-3)
        let normal = QuantileMatching.fit([QuantilePoint(0.05, -1), QuantilePoint(0.95, 3)], family: .normal(mu: 0, sigma: 1), positive: false)
        guard case .normal(let mu, _) = normal.distribution else { return XCTFail("\(normal.distribution)") }
        XCTAssertEqual(mu, 1, accuracy: 1e-9)
        XCTAssertLessThan(normal.maximumRelativeError, 1e-9)
    }

    /// A one-parameter default (halfnormal) on a positive parameter becomes a lognormal.
    func testOneParameterFamilyBecomesLognormal() {
        let fit = QuantileMatching.fit([QuantilePoint(0.25, 1), QuantilePoint(0.75, 2)], family: .halfNormal(sigma: 1), positive: true)
        guard case .lognormal = fit.distribution else { return XCTFail("\(fit.distribution)") }
    }

    func testValidationMessages() {
        func message(_ points: [QuantilePoint]) -> String {
            do {
                _ = try validateQuantiles(points, quantity: "loss floor")
                return ""
            } catch { return error.message }
        }
        XCTAssertTrue(message([QuantilePoint(0.5, 2)]).contains("at least two quantiles"))
        XCTAssertTrue(message([QuantilePoint(0.05, 2.2), QuantilePoint(0.95, 1.8)]).contains("must increase with the probability"))
        XCTAssertTrue(message([QuantilePoint(0.05, -1), QuantilePoint(0.95, 1.8)]).contains("outside the possible values"))
        XCTAssertTrue(message([QuantilePoint(5, 1), QuantilePoint(0.95, 1.8)]).contains("not strictly between 0 and 1"))
        XCTAssertTrue(message([QuantilePoint(0.5, 1), QuantilePoint(0.5, 1.8)]).contains("given twice"))
        XCTAssertEqual(message([QuantilePoint(0.95, 2), QuantilePoint(0.05, 1)]), "")
    }

    func testTypedLinesAndAnswersFile() throws {
        XCTAssertNil(try Answers.parseQuantileLine("skip"))
        XCTAssertEqual(try Answers.parseQuantileLine("0.05=1.8, 50%=2 0.95=2.3"),
                       [QuantilePoint(0.05, 1.8), QuantilePoint(0.5, 2), QuantilePoint(0.95, 2.3)])
        XCTAssertThrowsError(try Answers.parseQuantileLine("1.8 2.3"))
        XCTAssertEqual(try Answers.parseAt("10x"), .multiple(10))
        XCTAssertEqual(try Answers.parseAt("1e5"), .step(100_000))
        let answers = try Answers.parse(Data("""
            {"current": {"step": 1000, "loss": 3}, "floor": "skip", "exponent": {"0.1": 0.3, "0.9": 0.9},
             "future": {"at": 5000, "quantiles": {"0.05": 2.3, "0.95": 2.6}}}
            """.utf8))
        XCTAssertNil(answers.floor)
        XCTAssertEqual(answers.exponent?.count, 2)
        XCTAssertEqual(answers.futureAt, .step(5000))
        XCTAssertThrowsError(try Answers.parse(Data(#"{"flor": "skip"}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("unknown key 'flor'"))
        }
    }
}

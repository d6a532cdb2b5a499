import Foundation
import Testing
@testable import CommandLineTool

@Suite("Bad input gives exit status 2 and names file, line and field")
struct BadInputTests {
    /// Runs `fit` on a fixture; returns the outcome and the fixture's path.
    func fit(_ name: String, _ text: String, _ extra: [String] = []) -> (RunOutcome, String) {
        let url = writeFixture(name, text)
        return (runCLI(["fit", url.path, "--model", "power_law"] + extra + tinySettings), url.path)
    }

    func expectError(_ outcome: RunOutcome, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.status == 2, sourceLocation: sourceLocation)
        #expect(outcome.stderr.contains("curvecast: error: " + message), "\(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func emptyFile() {
        let (outcome, path) = fit("empty.csv", "")
        expectError(outcome, "\(path): file is empty; expected a header row such as 'step,loss' followed by data rows")
        let (jsonl, jsonlPath) = fit("empty.jsonl", "\n")
        expectError(jsonl, "\(jsonlPath): file is empty")
    }

    @Test func headerOnlyAndOnePoint() {
        let (header, path) = fit("header.csv", "step,loss\n")
        expectError(header, "\(path): column 'loss' has no values")
        let (one, onePath) = fit("one.csv", "step,loss\n10,2.5\n")
        expectError(one, "\(onePath): column 'loss': only 1 point; a curve model needs at least 3; log more points first")
    }

    @Test func tooFewBeforeFitUntil() {
        let (outcome, path) = fit("short.csv", powerLawCSV(count: 10), ["--fit-until", "25"])
        expectError(outcome, "\(path): column 'loss': 2 of 10 points at or before --fit-until 25; a curve model needs at least 3; raise --fit-until")
    }

    @Test func nonNumericCell() {
        let (outcome, path) = fit("text.csv", "step,loss\n10,2.5\n20,abc\n30,2.1\n")
        expectError(outcome, "\(path):3: column 'loss': \"abc\" is not a number; fix or delete the row")
        let (jsonl, jsonlPath) = fit("text.jsonl", "{\"step\": 1, \"loss\": 2}\n{\"step\": 2, \"loss\": \"x\"}\n")
        expectError(jsonl, "\(jsonlPath):2: key 'loss': \"x\" is not a number; fix or delete the line")
    }

    @Test func nonFiniteValuesAreDroppedWithAWarning() {
        var text = powerLawCSV(count: 20)
        text = text.replacingOccurrences(of: "\n50,", with: "\n50,nan\n55,")  // line 6 is NaN
        text += "210,inf\n"
        let url = writeFixture("nan.csv", text)
        let outcome = runCLI(["fit", url.path, "--model", "power_law"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("curvecast: warning: \(url.path)"))
        #expect(outcome.stderr.contains("lines 6, 23"), "\(outcome.stderr)")
    }

    @Test func unsortedAndDuplicateSteps() {
        let (unsorted, path) = fit("unsorted.csv", "step,loss\n10,3\n30,2.5\n20,2.7\n40,2.4\n")
        expectError(unsorted, "\(path):4: metric 'loss': step 20 comes after step 30 (line 3); steps must increase")
        let (duplicate, dupPath) = fit("dup.csv", "step,loss\n10,3\n20,2.5\n20,2.7\n40,2.4\n")
        expectError(duplicate, "\(dupPath):4: metric 'loss': step 20 was already logged at line 3")
        // --resume accepts it: the later write wins.
        let (resumed, _) = fit("dup2.csv", "step,loss\n10,3\n20,2.5\n20,2.7\n40,2.4\n", ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
    }

    @Test func nonPositiveValuesAndSteps() {
        let (negative, path) = fit("neg.csv", "step,loss\n10,3\n20,-0.5\n30,2.4\n")
        expectError(negative, "\(path):3: column 'loss': value -0.5 is not positive, but --scale log (the default) fits log values; fix or delete the row, or pass --scale linear")
        let (zeroStep, zeroPath) = fit("zero.csv", "step,loss\n0,3\n20,2.5\n30,2.4\n")
        expectError(zeroStep, "\(zeroPath):2: column 'step': step 0 is not positive; curve laws need steps > 0")
    }

    @Test func maximizeOutsideUnitInterval() {
        let (outcome, path) = fit("acc.csv", "step,acc\n10,55\n20,60\n30,62\n", ["--y", "acc", "--direction", "maximize"])
        expectError(outcome, "\(path):2: column 'acc': value 55.0 is outside [0, 1]; --direction maximize fits 1 - value and needs a metric in [0, 1]")
    }

    @Test func unknownColumnsAndKeys() {
        let (column, path) = fit("cols.csv", "iter,loss\n1,3\n2,2\n3,1\n")
        expectError(column, "\(path):1: header: no column 'step'; available columns: 'iter', 'loss'; choose one of them or fix the header")
        let (key, keyPath) = fit("keys.jsonl", "{\"step\": 1, \"val\": 2}\n{\"step\": 2, \"val\": 1.5}\n")
        expectError(key, "\(keyPath): no line has a value for key 'loss'; choose the metric with --y KEY")
    }

    @Test func unknownFormatAndMissingFile() {
        let (outcome, path) = fit("curve.txt", powerLawCSV())
        expectError(outcome, "\(path): cannot tell the format from the extension '.txt'; pass --input-format csv or --input-format jsonl")
        let (forced, _) = fit("curve2.txt", powerLawCSV(), ["--input-format", "csv"])
        #expect(forced.status == 0)
        let missing = runCLI(["fit", "/nonexistent/run.csv"])
        #expect(missing.status == 2 && missing.stderr == "curvecast: error: /nonexistent/run.csv: no such file; check the path\n")
    }

    @Test func unknownModelAndBadPrior() {
        let url = writeFixture("curve.csv", powerLawCSV())
        let unknown = runCLI(["fit", url.path, "--model", "power_lwa"] + tinySettings)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("curvecast: error: unknown model 'power_lwa'; available"))
        #expect(unknown.stderr.contains("broken_power_law"))
        let prior = writeFixture("prior.json", "{\"model\": \"power_law\", \"parameters\": {\"E\": {\"dist\": \"lognormal\", \"mu\": 0}}, \"noise\": {}}")
        let bad = runCLI(["fit", url.path, "--model", "power_law", "--prior", prior.path] + tinySettings)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("curvecast: error: --prior \(prior.path): prior.json: $.parameters.E.sigma: missing"))
        let other = runCLI(["fit", url.path, "--model", "power_law", "--prior", RepositoryPathsShim.prior("hill3")] + tinySettings)
        #expect(other.stderr.contains("the priors are for model 'hill3' but --model is 'power_law'"))
    }

    @Test func customPriorIsUsed() throws {
        let url = writeFixture("curve.csv", powerLawCSV())
        // The shipped power_law prior with Gaussian noise instead of AR(1): the fit must say so.
        let original = try String(contentsOfFile: RepositoryPathsShim.prior("power_law"), encoding: .utf8)
        var object = try #require(try parseJSON(original) as? [String: Any])
        object["noise"] = ["family": "gaussian", "sigma": ["dist": "halfnormal", "sigma": 0.05]]
        let prior = writeFixture("my_prior.json", String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        let outcome = runCLI(["fit", url.path, "--model", "power_law", "--prior", prior.path, "--format", "json"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let fit = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        let component = try #require((fit["components"] as? [[String: Any]])?.first)
        #expect(component["noise"] as? String == "gaussian")
        #expect((fit["parameters"] as? [String: Any])?["rho"] == nil)
        // A prior for another model than the one fitted is refused.
        let wrong = runCLI(["fit", url.path, "--model", "broken_power_law", "--prior", prior.path] + tinySettings)
        #expect(wrong.status == 2 && wrong.stderr.contains("power_law"))
    }
}

import TestSupport

enum RepositoryPathsShim {
    static func prior(_ model: String) -> String {
        RepositoryPaths.root.appendingPathComponent("Priors/\(model).json").path
    }
}

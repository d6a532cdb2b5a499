import Forecasting
import Foundation
import Testing
@testable import CommandLineTool

@Suite("End to end on a synthetic power-law curve")
struct EndToEndTests {
    let file = writeFixture("curve.csv", powerLawCSV())

    @Test func fitJSON() throws {
        let outcome = runCLI(["fit", file.path, "--model", "power_law", "--format", "json", "--seed", "3"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        #expect(object["model"] as? String == "power_law")
        #expect(object["fit_until"] as? Double == 400)
        #expect(object["points"] as? Int == 40)
        let parameters = try #require(object["parameters"] as? [String: [String: Any]])
        #expect(Set(parameters.keys) == ["E", "A", "alpha", "sigma", "rho"])
        for (name, p) in parameters {
            #expect(Set(p.keys) == ["mean", "sd", "q05", "q50", "q95", "ess_bulk", "ess_tail", "rhat"], "\(name)")
            let q05 = try #require(p["q05"] as? Double), q50 = try #require(p["q50"] as? Double)
            let q95 = try #require(p["q95"] as? Double)
            #expect(q05 <= q50 && q50 <= q95)
        }
        let diagnostics = try #require(object["diagnostics"] as? [String: Any])
        for key in ["pass", "divergences", "tree_depth_hits", "ebfmi", "step_sizes", "leapfrog_steps", "warnings"] {
            #expect(diagnostics[key] != nil, "missing diagnostics.\(key)")
        }
        #expect((diagnostics["ebfmi"] as? [Any])?.count == 2)
        #expect(diagnostics["pass"] is Bool)
        let components = try #require(object["components"] as? [[String: Any]])
        #expect(components.count == 1 && components[0]["weight"] as? Double == 1)
        // Keys come out in the documented order.
        #expect(outcome.stdout.hasPrefix("{\n  \"model\": \"power_law\""))
    }

    @Test func fitAutoKeepsLabel() throws {
        let outcome = runCLI(["fit", file.path, "--format", "json"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        #expect(object["model"] as? String == "auto")
        #expect((object["components"] as? [[String: Any]])?.first?["model"] as? String == Forecaster.automaticCandidates.first)
    }

    @Test func modelsJoinedByPlusAreAveragedWithEqualWeights() throws {
        let outcome = runCLI(["fit", file.path, "--model", "power_law+pow3", "--format", "json"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        #expect(object["model"] as? String == "power_law+pow3")
        let components = try #require(object["components"] as? [[String: Any]])
        #expect(components.map { $0["model"] as? String } == ["power_law", "pow3"])
        #expect(components.map { $0["weight"] as? Double } == [0.5, 0.5])
        #expect(ForecastRequest.modelNames("a + b") == ["a", "b"] && ForecastRequest.modelNames("a") == ["a"])

        let unknown = runCLI(["fit", file.path, "--model", "power_law+nope"] + tinySettings)
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown model 'nope'"), "\(unknown.stderr)")
        let empty = runCLI(["fit", file.path, "--model", "power_law+"] + tinySettings)
        #expect(empty.status != 0 && empty.stderr.contains("unknown model ''"), "\(empty.stderr)")
    }

    @Test func fitTable() {
        let outcome = runCLI(["fit", file.path, "--model", "power_law"] + tinySettings)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("model power_law: L(t) = E + A * t^-alpha; noise ar1"))
        #expect(outcome.stdout.contains("R_hat"))
        #expect(outcome.stdout.contains("Diagnostics: "))
    }

    @Test func forecastJSON() throws {
        let outcome = runCLI(["forecast", file.path, "--model", "power_law", "--format", "json", "--fit-until", "300",
                              "--at", "1000,500,4000", "--quantiles", "0.975,0.025,0.5,0.10"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        #expect(object["fit_until"] as? Double == 300)
        #expect(object["points"] as? Int == 30)
        #expect(object["diagnostics"] is [String: Any])
        let forecasts = try #require(object["forecasts"] as? [[String: Any]])
        #expect(forecasts.compactMap { $0["step"] as? Double } == [1000, 500, 4000])
        for f in forecasts {
            let q = try #require(f["quantiles"] as? [String: Double])
            #expect(Set(q.keys) == ["0.025", "0.10", "0.5", "0.975"])
            #expect(q["0.025"]! <= q["0.10"]! && q["0.10"]! <= q["0.5"]! && q["0.5"]! <= q["0.975"]!)
            let mean = try #require(f["mean"] as? Double)
            #expect(mean > 1 && mean < 4)
        }
        // The quantile keys are printed in increasing order, as written.
        let text = outcome.stdout
        let positions = ["\"0.025\"", "\"0.10\"", "\"0.5\"", "\"0.975\""].map { text.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func forecastCSV() throws {
        let outcome = runCLI(["forecast", file.path, "--model", "power_law", "--format", "csv", "--horizon", "10x"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "step,mean,q0.025,q0.1,q0.25,q0.5,q0.75,q0.9,q0.975")
        #expect(lines.count == 6)
        #expect(lines.dropFirst().map { $0.split(separator: ",").first.map(String.init) ?? "" } == ["600", "800", "1200", "2000", "4000"])
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",").compactMap { Double($0) }
            #expect(cells.count == 9)
            #expect(Array(cells[2...]) == cells[2...].sorted())
        }
    }

    @Test func forecastTableIsAligned() throws {
        let outcome = runCLI(["forecast", file.path, "--model", "power_law", "--horizon", "3000"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("step") })
        let table = lines[start...].prefix { !$0.isEmpty }
        #expect(table.count == 1 + 5)  // 1.5x, 2x, 3x, 5x, then the horizon 3000 = 7.5x
        // Right-aligned numeric columns: every row ends where the header ends.
        #expect(Set(table.map(\.count)).count == 1)
        #expect(table.last?.hasPrefix("3000 ") == true)
    }

    @Test func maximizeReportsTheMetricScale() throws {
        var lines = ["step,acc"]
        for i in 1...30 { lines.append("\(i * 10),\(1 - 0.1 - 0.5 * pow(Double(i * 10), -0.5))") }
        let accuracy = writeFixture("acc.csv", lines.joined(separator: "\n"))
        let outcome = runCLI(["forecast", accuracy.path, "--y", "acc", "--direction", "maximize", "--model", "power_law",
                              "--format", "json", "--at", "1000"] + tinySettings)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try parseJSON(outcome.stdout) as? [String: Any])
        #expect(object["modeled"] as? String == "1 - value")
        let f = try #require((object["forecasts"] as? [[String: Any]])?.first)
        let q = try #require(f["quantiles"] as? [String: Double])
        #expect(q["0.025"]! <= q["0.5"]! && q["0.5"]! <= q["0.975"]!)
        #expect(q["0.5"]! > 0.8 && q["0.5"]! < 1)
    }

    @Test func saveWritesDrawsAndRefusesToOverwrite() throws {
        let directory = temporaryDirectory().appendingPathComponent("fit")
        let arguments = ["fit", file.path, "--model", "power_law", "--save", directory.path] + tinySettings
        let first = runCLI(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let csv = try String(contentsOf: directory.appendingPathComponent("draws_power_law.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        #expect(rows.first == "chain,draw,E,A,alpha,sigma,rho,lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__")
        #expect(rows.count == 1 + 2 * 100)
        #expect(rows[1].hasPrefix("1,1,") && rows.last!.hasPrefix("2,100,"))
        let summary = try Data(contentsOf: directory.appendingPathComponent("summary.json"))
        let object = try JSONSerialization.jsonObject(with: summary) as? [String: Any]
        #expect(object?["model"] as? String == "power_law")
        // The sampler columns agree with the summary: divergences and leapfrog steps per chain.
        let diagnostics = object?["diagnostics"] as? [String: Any]
        let cells = rows.dropFirst().map { $0.split(separator: ",").map(String.init) }
        for chain in 1...2 {
            let mine = cells.filter { $0[0] == String(chain) }
            #expect(mine.allSatisfy { $0.count == 14 && ($0[12] == "0" || $0[12] == "1") && Double($0[7]) != nil })
            #expect(mine.filter { $0[12] == "1" }.count == (diagnostics?["divergences"] as? [Int])?[chain - 1])
            #expect(mine.reduce(0) { $0 + Int($1[11])! } == (diagnostics?["leapfrog_steps"] as? [Int])?[chain - 1])
        }

        let again = runCLI(arguments)
        #expect(again.status == 2)
        #expect(again.stderr.contains("draws_power_law.csv already exists; pass --force to overwrite it"))
        #expect(runCLI(arguments + ["--force"]).status == 0)
    }

    @Test func progressGoesToStderr() {
        let outcome = runCLI(["fit", file.path, "--model", "power_law", "--chains", "2", "--warmup", "150", "--samples", "100"])
        #expect(outcome.status == 0)
        let progress = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("fitting power_law: 2 chains x 250 iterations") }
        #expect(progress.count == 4)
        #expect(progress.last?.hasSuffix("500/500 (100%)") == true)
    }

    @Test func terminalProgressUpdatesInPlace() {
        let err = TextOutput(isTerminal: true)
        let reporter = ProgressReporter(output: err, label: "fitting m", chains: 2, iterationsPerChain: 100)
        reporter.update(chain: 0, completed: 50)
        reporter.update(chain: 0, completed: 50)  // same percentage: no rewrite
        reporter.update(chain: 1, completed: 100)
        reporter.finish()
        #expect(err.text == "\r\u{1B}[Kfitting m: 2 chains x 100 iterations: 50/200 (25%)"
            + "\r\u{1B}[Kfitting m: 2 chains x 100 iterations: 150/200 (75%)\n")
    }
}

import Testing
@testable import CommandLineTool

@Suite("Argument parsing")
struct ArgumentParsingTests {
    func fit(_ arguments: [String]) throws -> FitCommand {
        try FitCommand(try FitCommand.parser.parse(arguments))
    }

    func forecast(_ arguments: [String]) throws -> ForecastCommand {
        try ForecastCommand(try ForecastCommand.parser.parse(arguments))
    }

    /// The message of the failure `body` throws.
    func failure(_ body: () throws -> Void) -> CommandLineTool.Failure? {
        do {
            try body()
            return nil
        } catch let failure as CommandLineTool.Failure {
            return failure
        } catch {
            return nil
        }
    }

    @Test func fitDefaults() throws {
        let command = try fit(["run.csv"])
        let c = command.curve
        #expect(c.file == "run.csv")
        #expect(c.model == nil)
        #expect(c.stepColumn == "step" && c.valueColumn == "loss")
        #expect(c.inputFormat == nil && c.direction == .minimize && c.scale == .log && !c.resume)
        #expect(c.fitUntil == nil && c.seed == 1 && c.chains == 4 && c.warmup == 1000 && c.samples == 1000)
        #expect(c.prior == nil && c.modelsDirectory == nil && c.priorsDirectory == nil && !c.quiet)
        #expect(command.format == .table && command.save == nil && !command.force)
    }

    @Test func fitEveryOption() throws {
        let command = try fit([
            "run.jsonl", "--model", "power_law", "--fit-until", "1e4", "--seed", "42", "--chains", "2",
            "--warmup", "10", "--samples=20", "--x", "tokens", "--y", "val_loss", "--input-format", "jsonl",
            "--direction", "maximize", "--scale", "linear", "--prior", "p.json", "--models", "M", "--priors", "P",
            "--resume", "--quiet", "--format", "json", "--save", "out", "--force",
        ])
        let c = command.curve
        #expect(c.file == "run.jsonl" && c.model == "power_law" && c.fitUntil == 10_000 && c.seed == 42)
        #expect(c.chains == 2 && c.warmup == 10 && c.samples == 20)
        #expect(c.stepColumn == "tokens" && c.valueColumn == "val_loss" && c.inputFormat == .jsonl)
        #expect(c.direction == .maximize && c.scale == .linear && c.prior == "p.json")
        #expect(c.modelsDirectory == "M" && c.priorsDirectory == "P" && c.resume && c.quiet)
        #expect(command.format == .json && command.save == "out" && command.force)
    }

    @Test func autoModelIsNil() throws {
        #expect(try fit(["a.csv", "--model", "auto"]).curve.model == nil)
    }

    @Test func forecastDefaults() throws {
        let command = try forecast(["run.csv"])
        #expect(command.at == nil && command.horizon == .multiple(10) && command.format == .table)
        #expect(command.quantiles.map(\.text) == ["0.025", "0.1", "0.25", "0.5", "0.75", "0.9", "0.975"])
        #expect(command.quantiles.map(\.level) == [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975])
    }

    @Test func forecastOptions() throws {
        let command = try forecast(["run.csv", "--at", "2000, 1000,5e3", "--quantiles", "0.9,.05,0.50", "--format", "csv"])
        #expect(command.at == [2000, 1000, 5000])
        // Sorted, with the text as written.
        #expect(command.quantiles.map(\.text) == [".05", "0.50", "0.9"])
        #expect(command.format == .csv)
        #expect(try forecast(["r.csv", "--horizon", "100x"]).horizon == .multiple(100))
        #expect(try forecast(["r.csv", "--horizon", "50000"]).horizon == .step(50000))
        #expect(try forecast(["--demo"]).curve.demo)
    }

    @Test func defaultGrid() throws {
        let steps = try ForecastCommand.forecastSteps(at: nil, horizon: .multiple(10), lastFitted: 1000, wholeSteps: true)
        #expect(steps == [1500, 2000, 3000, 5000, 10000])
        let four = try ForecastCommand.forecastSteps(at: nil, horizon: .multiple(4), lastFitted: 1000, wholeSteps: true)
        #expect(four == [1500, 2000, 3000, 4000])
        let step = try ForecastCommand.forecastSteps(at: nil, horizon: .step(2500), lastFitted: 1000, wholeSteps: true)
        #expect(step == [1500, 2000, 2500])
        let odd = try ForecastCommand.forecastSteps(at: nil, horizon: .multiple(2), lastFitted: 333, wholeSteps: true)
        #expect(odd == [500, 666])
        let early = failure { _ = try ForecastCommand.forecastSteps(at: nil, horizon: .step(500), lastFitted: 1000, wholeSteps: true) }
        #expect(early?.message == "--horizon: step 500 is not after the last fitted step 1000; forecast further, or use --at for steps inside the data")
    }

    @Test(arguments: [
        (["fit", "a.csv", "--bogus"], "unknown option '--bogus' for 'curvecast fit'"),
        (["fit", "a.csv", "-q"], "unknown option '-q' for 'curvecast fit'"),
        (["fit", "a.csv", "--seed"], "option '--seed' needs a value (--seed N)"),
        (["fit", "a.csv", "--model", "--quiet"], "option '--model' needs a value (--model NAME|auto)"),
        (["fit", "a.csv", "--seed="], "option '--seed' needs a value (--seed N)"),
        (["fit", "a.csv", "--seed", "abc"], "option '--seed': 'abc' is not a whole number >= 0"),
        (["fit", "a.csv", "--seed", "-3"], "option '--seed': '-3' is not a whole number >= 0"),
        (["fit", "a.csv", "--chains", "0"], "option '--chains': '0' is not a whole number from 1 to 64"),
        (["fit", "a.csv", "--chains", "2.5"], "option '--chains': '2.5' is not a whole number from 1 to 64"),
        (["fit", "a.csv", "--warmup", "-1"], "option '--warmup': '-1' is not a whole number from 0 to 1000000"),
        (["fit", "a.csv", "--samples", "0"], "option '--samples': '0' is not a whole number from 1 to 1000000"),
        (["fit", "a.csv", "--fit-until", "soon"], "option '--fit-until': 'soon' is not a number > 0"),
        (["fit", "a.csv", "--fit-until", "nan"], "option '--fit-until': 'nan' is not a number > 0"),
        (["fit", "a.csv", "--format", "xml"], "option '--format': 'xml' is not one of table, json"),
        (["fit", "a.csv", "--scale", "log2"], "option '--scale': 'log2' is not one of log, linear"),
        (["fit", "a.csv", "--direction", "up"], "option '--direction': 'up' is not one of minimize, maximize"),
        (["fit", "a.csv", "--input-format", "tsv"], "option '--input-format': 'tsv' is not one of csv, jsonl"),
        (["fit", "a.csv", "--quiet=yes"], "option '--quiet' takes no value"),
        (["fit", "a.csv", "--seed", "1", "--seed", "2"], "option '--seed' is given twice; give it once"),
        (["fit"], "missing FILE: give the CSV or JSONL log to fit, e.g. 'curvecast fit run.csv'"),
        (["fit", "a.csv", "b.csv"], "unexpected argument 'b.csv'; 'fit' takes one FILE"),
        (["fit", "a.csv", "--force"], "--force only applies to --save DIR; add --save DIR or drop --force"),
        (["forecast", "a.csv", "--format", "yaml"], "option '--format': 'yaml' is not one of table, csv, json"),
        (["forecast", "a.csv", "--at", "100,,200"], "option '--at': '100,,200' has an empty entry; give a step > 0 separated by commas"),
        (["forecast", "a.csv", "--at", "100,-5"], "option '--at': '-5' is not a step > 0"),
        (["forecast", "a.csv", "--quantiles", "0.5,1.5"], "option '--quantiles': '1.5' is not a level between 0 and 1 (e.g. 0.9)"),
        (["forecast", "a.csv", "--quantiles", "0.5,0.50"], "option '--quantiles': level 0.5 is given twice (as '0.5' and '0.50'); give each level once"),
        (["forecast", "a.csv", "--horizon", "ten"], "option '--horizon': 'ten' is not a multiple like 10x or a step > 0"),
        (["forecast", "a.csv", "--horizon", "0.5x"], "option '--horizon': '0.5x' is not a multiple > 1 of the last fitted step (e.g. 10x)"),
        (["forecast", "a.csv", "--at", "5", "--horizon", "10x"], "give --at or --horizon, not both"),
        (["forecast", "--demo", "a.csv"], "--demo forecasts the bundled curve; do not give a FILE with it"),
        (["models", "extra"], "unexpected argument 'extra'; 'models' takes no FILE"),
        (["priors", "--model", "x"], "unknown option '--model' for 'curvecast priors'"),
        (["frobnicate"], "unknown command 'frobnicate'; commands: fit, forecast, demo, report, decide, replay, backtest, elicit, models, priors, help, version"),
    ] as [([String], String)])
    func usageErrors(arguments: [String], message: String) {
        let outcome = runCLI(arguments)
        #expect(outcome.status == 2)
        let first = outcome.stderr.split(separator: "\n").first.map(String.init)
        #expect(first == "curvecast: error: " + message)
        #expect(outcome.stdout.isEmpty)
    }

    @Test func usageErrorsPointAtHelp() {
        let outcome = runCLI(["forecast", "a.csv", "--bogus"])
        #expect(outcome.stderr.hasSuffix("curvecast: run 'curvecast forecast --help' for the options\n"))
    }

    @Test func help() {
        for arguments in [["--help"], ["help"], []] {
            let outcome = runCLI(arguments)
            #expect(outcome.status == 0)
            #expect(outcome.stdout.contains("usage: curvecast COMMAND"))
        }
        let fit = runCLI(["fit", "--help"])
        #expect(fit.status == 0 && fit.stdout.contains("\"ess_bulk\"") && fit.stdout.contains("--warmup N"))
        let forecast = runCLI(["help", "forecast"])
        #expect(forecast.status == 0 && forecast.stdout.contains("\"forecasts\": [{\"step\""))
        #expect(runCLI(["demo", "-h"]).stdout.contains("gemstone-scaling-laws"))
        #expect(runCLI(["version"]).stdout == "curvecast \(CommandLineTool.version)\n")
    }
}

import Foundation

/// The curvecast command line. Thin: argument parsing and wiring only; the logic lives in the
/// library modules. Forecasting commands are listed once they exist; nothing here pretends to
/// forecast before then.
let help = """
curvecast — Bayesian learning-curve forecasting (work in progress)

usage: curvecast COMMAND [OPTIONS]

Available now:
  help, --help, -h     show this help
  version              print the version

Being built (see README.md, "Status"): fit, forecast, backtest, models, priors, decide,
replay, watch, report, elicit. They are not available in this build.

Performance and validation runs: swift run -c release curvecast-bench --help
"""

let version = "0.1.0-dev"
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case nil, "help", "--help", "-h":
    print(help)
case "version", "--version":
    print("curvecast \(version)")
case let command?:
    FileHandle.standardError.write(Data("curvecast: '\(command)' is not available in this build; run 'curvecast --help' for what is.\n".utf8))
    exit(2)
}

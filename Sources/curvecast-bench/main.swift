import Daemon
import Forecasting
import Foundation
import Sampling

/// curvecast-bench: reproducible performance and validation runs (release build:
/// `swift run -c release curvecast-bench SUBCOMMAND`). Each subcommand prints its figures and
/// ends with one SUMMARY line; the exit status is non-zero when a target is missed.
let usage = """
usage: curvecast-bench SUBCOMMAND
  gradient     value+gradient of a 2,000-point power-law objective: tape vs a hand-written loop,
               and the vectorized kernels vs Swift loops over Foundation
  backtest [--model NAME] [--horizons 3,10,30,100] [--only SUBSTRING]
               the back-test protocol on ../shared/data, with the least-squares baseline
  calibration-dump DIR [--horizons 3,10,30,100] [--only SUBSTRING] [--model NAME] [--sqrt-only]
               raw predictive draws of every back-test split and of inner leave-future-out fits,
               one JSON per split, for studying discrepancy models offline
  posteriordb [--seed N]
               NUTS against the five reference posteriors of ../shared/data/posteriordb
  schedules [--chains N] [--warmup N] [--samples N] [--seed N] [--parts split,cross,timing] [--sizes 25M,100M]
               schedule-aware laws on the mpl curves: the paper's split for 25M and 100M (MAE of the
               posterior median, 95% coverage, the published fit), cross-schedule extrapolation from
               constant_24000 up to step 7200, and the multi-power value+gradient time (72k steps, 550 points)
  nuts [--seed N] [--chains N] [--metric diagonal|dense] [--python PATH] [--no-peer] [--setup-numpyro]
               4 chains x 2000 iterations on a 2,000-point power-law model, against NumPyro
               (installed into .build/numpyro-venv by --setup-numpyro; never a product dependency)
  daemon-fit [--every N] [--curves N] [--model NAME|auto] [--chains N] [--warmup N] [--samples N] [--verbose]
               the CPU cost of one refit of `curvecast watch` (cold, warm, recalibrating) on the
               Gemstones curves, against the load target's budget and the `forecast` fit
"""

/// The value of `--name VALUE` in the arguments, if present.
func option(_ name: String, in arguments: [String]) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "gradient":
    exit(GradientBenchmark.run() ? 0 : 1)
case "nuts":
    if arguments.contains("--setup-numpyro") {
        do { try NumPyroPeer.setUp() } catch {
            FileHandle.standardError.write(Data("curvecast-bench: \(error)\n".utf8))
            exit(1)
        }
    }
    let seed = option("--seed", in: arguments).flatMap(UInt64.init) ?? 1
    exit(NUTSBenchmark.run(seed: seed, python: option("--python", in: arguments),
                           skipPeer: arguments.contains("--no-peer"),
                           chains: option("--chains", in: arguments).flatMap(Int.init) ?? 4,
                           metric: option("--metric", in: arguments) == "dense" ? .dense : .diagonal) ? 0 : 1)
case "backtest":
    let horizons = option("--horizons", in: arguments).map { $0.split(separator: ",").compactMap { Double($0) } } ?? [3, 10, 30, 100]
    exit(BacktestBenchmark.run(model: option("--model", in: arguments), horizons: horizons,
                               only: option("--only", in: arguments)) ? 0 : 1)
case "calibration-dump":
    let horizons = option("--horizons", in: arguments).map { $0.split(separator: ",").compactMap { Double($0) } } ?? [3, 10, 30, 100]
    guard arguments.count > 1 else { print(usage); exit(2) }
    exit(CalibrationDump.run(directory: arguments[1], horizons: horizons, only: option("--only", in: arguments),
                             model: option("--model", in: arguments), sqrtOnly: arguments.contains("--sqrt-only")) ? 0 : 1)
case "schedules":
    var settings = FitSettings()
    settings.chains = option("--chains", in: arguments).flatMap(Int.init) ?? settings.chains
    settings.warmup = option("--warmup", in: arguments).flatMap(Int.init) ?? settings.warmup
    settings.samples = option("--samples", in: arguments).flatMap(Int.init) ?? settings.samples
    settings.seed = option("--seed", in: arguments).flatMap(UInt64.init) ?? settings.seed
    let parts = option("--parts", in: arguments).map { Set($0.split(separator: ",").map(String.init)) }
        ?? ["split", "cross", "timing"]
    let sizes = option("--sizes", in: arguments).map { $0.split(separator: ",").map(String.init) } ?? ScheduleBenchmark.sizes
    exit(ScheduleBenchmark.run(settings: settings, parts: parts, sizes: sizes) ? 0 : 1)
case "posteriordb":
    let seed = option("--seed", in: arguments).flatMap(UInt64.init) ?? 1
    exit(PosteriorDBBenchmark.run(seed: seed) ? 0 : 1)
case "daemon-fit":
    var budget = FitBudget()
    budget.chains = option("--chains", in: arguments).flatMap(Int.init) ?? budget.chains
    budget.samples = option("--samples", in: arguments).flatMap(Int.init) ?? budget.samples
    budget.warmWarmup = option("--warmup", in: arguments).flatMap(Int.init) ?? budget.warmWarmup
    exit(DaemonFitBenchmark.run(every: option("--every", in: arguments).flatMap(Int.init) ?? 2,
                                curveLimit: option("--curves", in: arguments).flatMap(Int.init),
                                model: option("--model", in: arguments), budget: budget,
                                verbose: arguments.contains("--verbose")) ? 0 : 1)
case "daemon-load":
    var options = DaemonLoadBenchmark.Options()
    options.runs = option("--runs", in: arguments).flatMap(Int.init) ?? options.runs
    options.seconds = option("--seconds", in: arguments).flatMap(Double.init) ?? options.seconds
    options.rate = option("--rate", in: arguments).flatMap(Double.init) ?? options.rate
    options.unixSocket = arguments.contains("--unix")
    options.keep = arguments.contains("--keep")
    if let dash = arguments.firstIndex(of: "--") { options.daemonArguments = Array(arguments[(dash + 1)...]) }
    exit(DaemonLoadBenchmark.run(options) ? 0 : 1)
case "daemon-faults":
    exit(DaemonFaultBenchmark.run(runs: option("--runs", in: arguments).flatMap(Int.init) ?? 200,
                                  kills: option("--kills", in: arguments).flatMap(Int.init) ?? 20,
                                  seed: option("--seed", in: arguments).flatMap(UInt64.init) ?? 1,
                                  unixSocket: arguments.contains("--unix"), keep: arguments.contains("--keep")) ? 0 : 1)
case "daemon-fuzz":
    exit(DaemonFuzzBenchmark.run(rounds: option("--rounds", in: arguments).flatMap(Int.init) ?? 100,
                                 files: option("--files", in: arguments).flatMap(Int.init) ?? 100,
                                 requests: option("--requests", in: arguments).flatMap(Int.init) ?? 10_000,
                                 seed: option("--seed", in: arguments).flatMap(UInt64.init) ?? 1,
                                 keep: arguments.contains("--keep")) ? 0 : 1)
case "-h", "--help", "help":
    print(usage)
case let other?:
    FileHandle.standardError.write(Data("curvecast-bench: unknown subcommand '\(other)'\n\(usage)\n".utf8))
    exit(2)
case nil:
    print(usage)
    exit(2)
}

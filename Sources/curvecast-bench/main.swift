import Foundation

/// curvecast-bench: reproducible performance and validation runs (release build:
/// `swift run -c release curvecast-bench SUBCOMMAND`). Each subcommand prints its figures and
/// ends with one SUMMARY line; the exit status is non-zero when a target is missed.
let usage = """
usage: curvecast-bench SUBCOMMAND
  gradient     value+gradient of a 2,000-point power-law objective: tape vs a hand-written loop,
               and the vectorized kernels vs Swift loops over Foundation
"""

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "gradient":
    exit(GradientBenchmark.run() ? 0 : 1)
case "-h", "--help", "help":
    print(usage)
case let other?:
    FileHandle.standardError.write(Data("curvecast-bench: unknown subcommand '\(other)'\n\(usage)\n".utf8))
    exit(2)
case nil:
    print(usage)
    exit(2)
}

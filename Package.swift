// swift-tools-version:6.0
// curvecast: Bayesian learning-curve forecasting. No Swift package dependencies; the only
// external code is the system OpenBLAS + LAPACKE (apt: libopenblas-dev, liblapacke-dev).
import PackageDescription

let package = Package(
    name: "curvecast",
    products: [
        .executable(name: "curvecast", targets: ["curvecast"]),
        .executable(name: "curvecast-bench", targets: ["curvecast-bench"]),
        .library(name: "CurvecastCore", targets: ["LinearAlgebra", "Autodiff", "Sampling"]),
    ],
    targets: [
        // System library: cblas.h + lapacke.h, found through pkg-config `openblas`.
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Implementation detail of LinearAlgebra: elementwise transcendental kernels in C, with
        // AVX2/FMA clones chosen at load time (no compiler flags needed, see CKernels.c).
        .target(name: "CKernels", path: "Sources/CKernels"),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CKernels"]),
        .target(name: "Autodiff", dependencies: ["LinearAlgebra"]),
        .target(name: "Sampling", dependencies: ["LinearAlgebra"]),
        .target(name: "CurveModels", dependencies: ["Autodiff", "LinearAlgebra", "Sampling"]),
        .target(name: "Forecasting", dependencies: ["CurveModels", "Sampling", "RunLogs"]),
        .target(name: "EarlyStopping", dependencies: ["Forecasting", "CurveModels", "Sampling"]),
        .target(name: "RunLogs"),
        .target(name: "Reporting", dependencies: ["Forecasting"], exclude: ["Documentation"]),
        .target(name: "Elicitation", dependencies: ["CurveModels"]),
        .target(name: "Daemon", dependencies: ["RunLogs", "Forecasting", "EarlyStopping", "CurveModels", "Sampling"]),
        // The command line's logic (argument parsing, commands, input loading, output formatting),
        // with a bundled demo curve and copies of Models/ and Priors/ (a test keeps them identical).
        .target(
            name: "CommandLineTool",
            dependencies: ["CurveModels", "Daemon", "EarlyStopping", "Elicitation", "Forecasting", "Reporting", "RunLogs", "Sampling"],
            resources: [.copy("Resources/demo"), .copy("Resources/Models"), .copy("Resources/Priors")]
        ),
        .executableTarget(name: "curvecast", dependencies: ["CommandLineTool"]),
        .executableTarget(
            name: "curvecast-bench",
            dependencies: ["LinearAlgebra", "Autodiff", "Sampling", "CurveModels", "Forecasting", "RunLogs", "Daemon", "TestSupport"]
        ),
        // Test support: finite-difference gradient checker, fixtures, paths to ../shared/data.
        .target(name: "TestSupport", dependencies: ["Autodiff", "LinearAlgebra", "Sampling", "CurveModels"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "TestSupport"]),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling", "TestSupport"]),
        .testTarget(name: "CurveModelsTests", dependencies: ["CurveModels", "TestSupport"]),
        .testTarget(name: "RunLogsTests", dependencies: ["RunLogs", "TestSupport"]),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "TestSupport"]),
        .testTarget(name: "EarlyStoppingTests", dependencies: ["EarlyStopping", "CurveModels", "Forecasting", "TestSupport"]),
        .testTarget(name: "CommandLineToolTests", dependencies: ["CommandLineTool", "TestSupport"]),
        // CommandLineTool for the scripted runs of `curvecast elicit` (pipe, answers file, pseudo-terminal).
        .testTarget(name: "ElicitationTests", dependencies: ["Elicitation", "TestSupport", "CommandLineTool"]),
        // The daemon's parts, and one end-to-end run in-process on a temporary folder.
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "Forecasting", "CurveModels", "EarlyStopping", "RunLogs", "Sampling", "TestSupport"]),
        // CommandLineTool only for the one end-to-end test of `curvecast report`.
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "TestSupport", "CommandLineTool"]),
    ],
    swiftLanguageModes: [.v6]
)

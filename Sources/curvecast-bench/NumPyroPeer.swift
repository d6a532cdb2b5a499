import Foundation

/// Runs NumPyro (a Python peer, installed only for the benchmark in a throwaway virtual
/// environment) on the same power-law model, data, priors and sampler settings, and returns its
/// draws so that both samplers' ESS and R-hat are computed by the same code.
///
/// Setup (once): `curvecast-bench nuts --setup-numpyro` creates `.build/numpyro-venv` with
/// `pip install numpyro jax jaxlib` (CPU). The product never depends on it.
enum NumPyroPeer {
    static var defaultPython: String {
        FileManager.default.currentDirectoryPath + "/.build/numpyro-venv/bin/python"
    }

    struct Result {
        let wallSeconds: Double
        /// draws[chain][draw][parameter], parameters in the order E, A, alpha, sigma.
        let draws: [[[Double]]]
        let divergences: Int
        let version: String
    }

    enum Failure: Error, CustomStringConvertible {
        case notInstalled(String)
        case failed(String)
        var description: String {
            switch self {
            case .notInstalled(let python):
                return "NumPyro is not installed at \(python); run 'curvecast-bench nuts --setup-numpyro' (needs PyPI) or pass --python PATH"
            case .failed(let message): return "NumPyro run failed: \(message)"
            }
        }
    }

    static func setUp() throws {
        let venv = FileManager.default.currentDirectoryPath + "/.build/numpyro-venv"
        try shell(["python3", "-m", "venv", venv])
        try shell([venv + "/bin/pip", "install", "-q", "numpyro", "jax", "jaxlib"])
    }

    static func run(python: String, t: [Double], y: [Double], chains: Int, warmup: Int, samples: Int,
                    seed: Int, dense: Bool, priors: PowerLawBenchmarkModel.Priors) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: python) else { throw Failure.notInstalled(python) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("curvecast-numpyro-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input: [String: Any] = [
            "t": t, "y": y, "chains": chains, "warmup": warmup, "samples": samples, "seed": seed, "dense": dense,
            "prior_E": priors.e, "prior_A": priors.a, "prior_alpha": priors.alpha, "prior_sigma": priors.sigma,
        ]
        try JSONSerialization.data(withJSONObject: input).write(to: dir.appendingPathComponent("input.json"))
        try Data(script.utf8).write(to: dir.appendingPathComponent("run.py"))
        let output = try shell([python, dir.appendingPathComponent("run.py").path, dir.appendingPathComponent("input.json").path],
                               environment: ["XLA_FLAGS": "--xla_force_host_platform_device_count=\(chains)",
                                             "JAX_PLATFORMS": "cpu"])
        guard let line = output.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let wall = object["wall_seconds"] as? Double,
              let draws = object["draws"] as? [[[Double]]],
              let divergences = object["divergences"] as? Int,
              let version = object["version"] as? String
        else { throw Failure.failed("unexpected output: \(output.suffix(500))") }
        return Result(wallSeconds: wall, draws: draws, divergences: divergences, version: version)
    }

    @discardableResult
    static func shell(_ command: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure.failed("\(command.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: errorData.suffix(2000), as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The NumPyro program: the same likelihood and priors (HalfNormal scales), NUTS with
    /// target acceptance 0.8, max tree depth 10, the same (diagonal or dense) mass matrix, parallel chains on
    /// host devices; the wall time covers compilation and sampling, as a user experiences it.
    static let script = #"""
import json, sys, time
inp = json.load(open(sys.argv[1]))
import jax, jax.numpy as jnp
jax.config.update("jax_enable_x64", True)
import numpyro, numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS
t = jnp.asarray(inp["t"]); y = jnp.asarray(inp["y"])
def model(t, y):
    E = numpyro.sample("E", dist.HalfNormal(inp["prior_E"]))
    A = numpyro.sample("A", dist.HalfNormal(inp["prior_A"]))
    alpha = numpyro.sample("alpha", dist.HalfNormal(inp["prior_alpha"]))
    sigma = numpyro.sample("sigma", dist.HalfNormal(inp["prior_sigma"]))
    numpyro.sample("y", dist.Normal(E + A * t ** (-alpha), sigma), obs=y)
kernel = NUTS(model, target_accept_prob=0.8, max_tree_depth=10, dense_mass=inp["dense"])
mcmc = MCMC(kernel, num_warmup=inp["warmup"], num_samples=inp["samples"], num_chains=inp["chains"],
            chain_method="parallel", progress_bar=False)
start = time.perf_counter()
mcmc.run(jax.random.PRNGKey(inp["seed"]), t, y, extra_fields=("diverging",))
s = mcmc.get_samples(group_by_chain=True)
jax.block_until_ready(s)
wall = time.perf_counter() - start
draws = jnp.stack([s["E"], s["A"], s["alpha"], s["sigma"]], axis=-1).tolist()
div = int(mcmc.get_extra_fields(group_by_chain=True)["diverging"].sum())
print(json.dumps({"wall_seconds": wall, "draws": draws, "divergences": div, "version": numpyro.__version__}))
"""#
}

import CurveModels
import Daemon
import Forecasting
import Foundation
import TestSupport

/// `curvecast-bench daemon-fit`: what one refit of `curvecast watch` costs, against the budget
/// of the load target (200 runs, a point per run per second, decisions at most 10 s behind, on
/// 2 cores: about 0.1 s of CPU per refit).
///
/// Each Gemstones curve is replayed as the daemon sees a run: a cold fit on its first 10
/// points, then warm refits every `--every` new points (the debounce coalesces about 2 points
/// per refit at a point per second) up to 130 points, with the daemon's `FitBudget`. Reported:
/// CPU seconds per fit (cold, warm, warm with a recalibration of the discrepancy rate), the
/// share of fits whose diagnostics pass, and, as the baseline in the same process, the CPU of
/// the `curvecast forecast` fit (4 chains x 400 + 400 and its calibration fit) at 10 and 130 points.
enum DaemonFitBenchmark {
    static let firstPoints = 10
    static let lastPoints = 130
    /// The CPU budget of one refit at the load target.
    static let budgetSeconds = 0.1

    /// `model`: a model name, `auto`, or nil for the daemon's default.
    static func run(every: Int, curveLimit: Int?, model: String?, budget: FitBudget, verbose: Bool) -> Bool {
        do {
            let library = try ModelLibrary.load(directory: RepositoryPaths.root.appendingPathComponent("Models"))
            let priors = try PriorSet.loadDefaults(directory: RepositoryPaths.root.appendingPathComponent("Priors"), for: library)
            var curves = try DaemonCurves().curves
            if let curveLimit { curves = Array(curves.prefix(curveLimit)) }
            var study = StudyConfiguration(horizon: 83_475)
            if let model { study.model = model == "auto" ? nil : model }
            let fitter = RunFitter(library: library, priors: priors, study: study, budget: budget)
            var cold: [Double] = [], warm: [Double] = [], recalibrated: [Double] = []
            var passes = 0, fits = 0, failures = 0
            for curve in curves {
                var memory = FitMemory()
                var count = firstPoints
                while count <= lastPoints {
                    do {
                        let before = processCPUSeconds()
                        var outcome = try fitter.fit(run: curve.name, steps: Array(curve.steps.prefix(count)),
                                                     values: Array(curve.losses.prefix(count)), memory: memory)
                        // Process CPU: with several chains the fit uses several threads.
                        outcome.cpuSeconds = processCPUSeconds() - before
                        memory = outcome.memory
                        fits += 1
                        if verbose { print(describe(outcome, points: count)) }
                        if outcome.result.diagnosticsPass { passes += 1 }
                        if !outcome.warm {
                            cold.append(outcome.cpuSeconds)
                        } else if outcome.recalibrated {
                            recalibrated.append(outcome.cpuSeconds)
                        } else {
                            warm.append(outcome.cpuSeconds)
                        }
                    } catch {
                        failures += 1
                        print("  \(curve.name) at \(count) points: \(error)")
                    }
                    count += every
                }
                FileHandle.standardError.write(Data("\r\(curve.name): \(fits) fits so far   ".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            let all = cold + warm + recalibrated
            let mean = all.reduce(0, +) / Double(max(all.count, 1))
            print("daemon refits of \(curves.count) Gemstones curves, \(firstPoints) -> \(lastPoints) points, a refit every \(every) new point(s); model \(study.model ?? "auto"); budget \(budget.chains) chain(s) x (\(budget.warmWarmup) warm / \(budget.coldWarmup) cold warmup + \(budget.samples) draws)")
            print("CPU seconds per fit        count   median    p90      max")
            for (label, values) in [("cold (first fit)", cold), ("warm", warm), ("warm + recalibration", recalibrated), ("all", all)] {
                print("  " + label.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: " %5d   %6.3f   %6.3f   %6.3f", values.count,
                             Stats.quantile(values, 0.5), Stats.quantile(values, 0.9), values.max() ?? .nan))
            }
            print(String(format: "mean CPU per fit %.3f s (budget %.2f s); diagnostics pass in %d of %d fits (%.0f%%); %d failed",
                         mean, budgetSeconds, passes, fits, 100 * Double(passes) / Double(max(fits, 1)), failures))
            print(String(format: "at this cost 200 runs are each refitted every %.1f s on 2 idle cores", 200 * mean / 2))

            // Baseline: the fit of `curvecast forecast` on the same curves, same process.
            var baseline: [Double] = []
            for curve in curves.prefix(3) {
                for count in [firstPoints, lastPoints] {
                    var request = ForecastRequest(modelName: study.model)
                    request.horizonRatio = 83_475 / curve.steps[count - 1]
                    let before = processCPUSeconds()
                    _ = try? Forecaster.fit(steps: Array(curve.steps.prefix(count)), values: Array(curve.losses.prefix(count)),
                                            request: request, library: library, priors: priors)
                    baseline.append(processCPUSeconds() - before)
                }
            }
            let baselineMean = baseline.reduce(0, +) / Double(max(baseline.count, 1))
            print(String(format: "baseline: 'curvecast forecast' fit (4 x 400 + 400, calibrated) %.2f s CPU on average over %d fits: %.0fx a daemon refit",
                         baselineMean, baseline.count, baselineMean / max(mean, 1e-9)))
            let ok = mean <= budgetSeconds && failures == 0
            print("SUMMARY daemon-fit: mean \(format(mean, 3)) s CPU per refit (budget \(budgetSeconds)), diagnostics pass \(passes)/\(fits), \(ok ? "PASS" : "MISS")")
            return ok
        } catch {
            print("daemon-fit: \(error)")
            return false
        }
    }

    /// One line per fit: kind, CPU, leapfrog steps, step size, ESS and R-hat.
    static func describe(_ outcome: RunFitter.Outcome, points: Int) -> String {
        let fit = outcome.result.components[0].fit
        let sampler = fit.summary.sampler
        let ess = fit.summary.parameters.map(\.essBulk).min() ?? .nan
        let tail = fit.summary.parameters.map(\.essTail).min() ?? .nan
        let rhat = fit.summary.parameters.map(\.rhat).max() ?? .nan
        let leapfrogs = sampler?.leapfrogSteps.reduce(0, +) ?? 0
        let warnings = fit.summary.warnings.map(\.message).joined(separator: " | ")
        return String(format: "  %3d points %@%@ cpu %.3f  grads %6d (%.1f/draw)  eps %.3f  depth hits %d  div %d  ess %.0f/%.0f  rhat %.3f",
                      points, outcome.warm ? "warm" : "cold", outcome.recalibrated ? "+cal" : "    ", outcome.cpuSeconds,
                      fit.chains.reduce(0) { $0 + $1.gradientEvaluations }, Double(leapfrogs) / Double(max(fit.draws.count, 1)),
                      sampler?.stepSizes.first ?? .nan, sampler?.treeDepthHits.reduce(0, +) ?? 0,
                      sampler?.divergences.reduce(0, +) ?? 0, ess, tail, rhat) + (warnings.isEmpty ? "" : "\n      " + warnings)
    }

    /// CPU seconds of the whole process (user + system), for fits that use several threads.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

import EarlyStopping

/// What the daemon decides for the runs of one study: which metric, which way is better, the
/// planned last step (the horizon), the target to beat there, and the stopping rule's settings.
///
/// A run gets a stop decision when P(its metric at the horizon beats the target) stays below
/// `rule.threshold` for `rule.consecutiveVotes` refits (`PredictiveStoppingRule`).
public struct StudyConfiguration: Sendable, Equatable {
    /// The value a run must beat at the horizon.
    public enum Target: Sendable, Equatable {
        /// A fixed value of the metric.
        case value(Double)
        /// The best so far in the study: the best value observed at the horizon by a run that
        /// reached it; while no run has, the best forecast median at the horizon among the other
        /// runs (so the current leader is measured against the runner-up, never against itself).
        case bestSoFar
    }

    /// The metric followed in every run (a CSV column, a JSONL key, a Lightning column, a
    /// TensorBoard tag, a `trainer_state.json` key).
    public var metric = "loss"
    /// Whether smaller (losses) or larger (accuracies) values are better. A maximized metric must
    /// lie in [0, 1): the model is fitted to 1 - value, which falls like a loss.
    public var direction: OptimizationDirection = .minimize
    /// The planned last step of the runs, where forecasts are compared with the target.
    public var horizon: Double
    /// The target (default: the best so far).
    public var target: Target = .bestSoFar
    /// The stopping rule: threshold, minimum points, warmup steps, consecutive votes.
    public var rule = PredictiveStoppingRule()
    /// The model to fit (a `Models/` name); nil for the automatic candidates (`--model auto`).
    public var model: String? = StudyConfiguration.defaultModel

    /// The daemon's default model: the single power law with AR(1) noise. A refit of it costs
    /// about 0.03 s of CPU with the default `FitBudget`, which lets 2 cores keep 200 runs
    /// refitted every few seconds; the broken power law of `--model auto` forecasts better early
    /// in a run but its curved posterior needs about 100 leapfrog steps per draw, about 10 times
    /// the cost (measured by `curvecast-bench daemon-fit`; README, "The watching daemon").
    public static let defaultModel = "power_law"

    /// A study with a horizon and the defaults for the rest.
    public init(horizon: Double) {
        self.horizon = horizon
    }
}

import Forecasting

/// Whether lower or higher values of a run's metric are better.
public enum ReportDirection: String, Sendable, CaseIterable {
    case minimize, maximize
}

/// One forecast point on the metric's own scale: the predictive mean and quantiles at a step.
///
/// `Forecasting.ForecastPoint` has no public initializer outside its module, so the report keeps
/// its own small copy; `init(_:)` converts.
public struct ReportForecastPoint: Sendable, Equatable {
    public var step: Double
    public var mean: Double
    /// Quantile level -> value, on the metric's scale (for a maximized metric the command has
    /// already mapped the modeled 1 - value back).
    public var quantiles: [Double: Double]

    public init(step: Double, mean: Double, quantiles: [Double: Double]) {
        self.step = step
        self.mean = mean
        self.quantiles = quantiles
    }

    /// The same point (for a minimized metric, where the modeled curve is the metric).
    public init(_ point: ForecastPoint) {
        self.init(step: point.step, mean: point.mean, quantiles: point.quantiles)
    }

    /// The median, or the mean when the 0.5 quantile was not computed.
    public var median: Double { quantiles[0.5] ?? mean }
}

/// A learning-rate schedule: logged (`lr` column) or, later, read from a schedule file.
public struct LearningRateSeries: Sendable, Equatable {
    public var steps: [Double]
    public var values: [Double]
    /// Where it comes from, shown in the panel's title (e.g. "logged lr").
    public var label: String

    public init(steps: [Double], values: [Double], label: String = "learning rate") {
        precondition(steps.count == values.count, "LearningRateSeries: \(steps.count) steps, \(values.count) values")
        self.steps = steps
        self.values = values
        self.label = label
    }
}

/// One sampler diagnostic of a fitted model, with its verdict in words.
public struct DiagnosticCheck: Sendable, Equatable {
    /// What is checked, e.g. "max R-hat".
    public var name: String
    /// The measured value as shown, e.g. "1.003".
    public var value: String
    /// The rule it is judged by, e.g. "< 1.01".
    public var threshold: String
    public var passed: Bool
    /// What a failure means, shown next to "FAILED".
    public var meaning: String

    public init(name: String, value: String, threshold: String, passed: Bool, meaning: String) {
        self.name = name
        self.value = value
        self.threshold = threshold
        self.passed = passed
        self.meaning = meaning
    }
}

/// One fitted model of a run: its name, weight in the average and its sampler diagnostics.
public struct ReportModel: Sendable, Equatable {
    public var name: String
    public var weight: Double
    /// The noise family ("gaussian", "student_t", "ar1"), if known.
    public var noise: String?
    public var diagnosticsPass: Bool
    public var checks: [DiagnosticCheck]
    /// The sampler's warnings in words (`DiagnosticWarning.message`).
    public var warnings: [String]
    /// One line about the sampler run, e.g. "4 chains x 500 draws".
    public var samplerLine: String?

    public init(name: String, weight: Double, noise: String? = nil, diagnosticsPass: Bool,
                checks: [DiagnosticCheck] = [], warnings: [String] = [], samplerLine: String? = nil) {
        self.name = name
        self.weight = weight
        self.noise = noise
        self.diagnosticsPass = diagnosticsPass
        self.checks = checks
        self.warnings = warnings
        self.samplerLine = samplerLine
    }
}

/// Everything the report draws for one run: a small value model, so rendering needs no fitting.
public struct ReportRun: Sendable, Equatable {
    /// The run's name as shown (usually the file).
    public var name: String
    /// The metric's name (the y axis title), e.g. "loss".
    public var metric: String
    public var direction: ReportDirection
    /// Every logged point, fitted or held out (steps increasing).
    public var observedSteps: [Double]
    public var observedValues: [Double]
    /// The last fitted step: points after it are held out, the forecast starts there.
    public var fitUntil: Double
    /// Forecast points, steps increasing; the last one is the horizon.
    public var forecast: [ReportForecastPoint]
    public var learningRate: LearningRateSeries?
    /// A value to beat, drawn as a horizontal line.
    public var target: Double?
    /// P(the metric at the horizon beats `target`), from the predictive draws.
    public var probabilityBeatsTarget: Double?
    /// "auto" or the model's name.
    public var modelLabel: String
    public var models: [ReportModel]
    /// Whether every model with weight >= 1% passes its diagnostics.
    public var diagnosticsPass: Bool
    /// The leave-future-out model-discrepancy rate kappa (0: none), see `LeaveFutureOutCalibration`.
    public var discrepancyRate: Double

    public init(
        name: String, metric: String = "loss", direction: ReportDirection = .minimize,
        observedSteps: [Double], observedValues: [Double], fitUntil: Double, forecast: [ReportForecastPoint],
        learningRate: LearningRateSeries? = nil, target: Double? = nil, probabilityBeatsTarget: Double? = nil,
        modelLabel: String, models: [ReportModel], diagnosticsPass: Bool? = nil, discrepancyRate: Double = 0
    ) {
        precondition(observedSteps.count == observedValues.count,
                     "ReportRun: \(observedSteps.count) steps, \(observedValues.count) values")
        self.name = name
        self.metric = metric
        self.direction = direction
        self.observedSteps = observedSteps
        self.observedValues = observedValues
        self.fitUntil = fitUntil
        self.forecast = forecast.sorted { $0.step < $1.step }
        self.learningRate = learningRate
        self.target = target
        self.probabilityBeatsTarget = probabilityBeatsTarget
        self.modelLabel = modelLabel
        self.models = models
        self.diagnosticsPass = diagnosticsPass ?? models.allSatisfy { $0.weight < Self.negligibleWeight || $0.diagnosticsPass }
        self.discrepancyRate = discrepancyRate
    }

    /// Models below this weight do not count for the verdict (the rule of `ForecastResult.diagnosticsPass`).
    public static let negligibleWeight = 0.01

    /// The forecast at the horizon (the last forecast point).
    public var horizon: ReportForecastPoint? { forecast.last }
}

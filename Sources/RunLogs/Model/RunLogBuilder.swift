/// Accumulates points per metric while a reader walks a log, applying the NaN/inf rule and the
/// resume rule, and turns them into a `RunLog` (possibly several times, for tail reads).
struct RunLogBuilder: Sendable {
    /// The name used for the learning-rate series.
    static let learningRateName = "lr"

    let source: String
    let format: LogFormat
    let mode: ReadMode
    private var order: [String] = []
    private var series: [String: SeriesBuilder] = [:]
    private var learningRate: SeriesBuilder?
    var extraIssues: [ReadIssue] = []
    var pending: [PendingTail] = []

    init(source: String, format: LogFormat, mode: ReadMode) {
        self.source = source
        self.format = format
        self.mode = mode
    }

    /// Makes sure metric `name` appears in the log, even with no points (a header-only file).
    mutating func declare(metric name: String) {
        if series[name] == nil {
            order.append(name)
            series[name] = SeriesBuilder(name: name)
        }
    }

    /// Adds a value of metric `name` at `step`. Non-finite values are recorded and dropped.
    mutating func add(metric name: String, step: Double, value: Double, at location: LogLocation) {
        if series[name] == nil {
            order.append(name)
            series[name] = SeriesBuilder(name: name)
        }
        series[name]!.add(step: step, value: value, at: location, mode: mode)
    }

    /// Adds a learning-rate value at `step`.
    mutating func addLearningRate(step: Double, value: Double, at location: LogLocation) {
        if learningRate == nil { learningRate = SeriesBuilder(name: Self.learningRateName) }
        learningRate!.add(step: step, value: value, at: location, mode: mode)
    }

    /// Forgets everything (a file was truncated or rewritten and is read again).
    mutating func reset() {
        order = []
        series = [:]
        learningRate = nil
        extraIssues = []
        pending = []
    }

    /// The run log so far.
    func build() -> RunLog {
        var issues: [ReadIssue] = []
        var metrics: [MetricSeries] = []
        for name in order {
            let builder = series[name]!
            metrics.append(MetricSeries(name: name, source: source, points: builder.points))
            issues += builder.issues()
        }
        var lr: MetricSeries?
        if let builder = learningRate {
            lr = MetricSeries(name: builder.name, source: source, points: builder.points)
            issues += builder.issues()
        }
        return RunLog(
            source: source, format: format, metrics: metrics, learningRate: lr,
            issues: extraIssues + issues, pending: pending)
    }
}

/// The points of one metric plus what the NaN/inf and resume rules removed.
struct SeriesBuilder: Sendable {
    let name: String
    private(set) var points: [MetricPoint] = []
    private var nonFinite: [LogLocation] = []
    private var rewinds: [(location: LogLocation, step: Double, replaced: Int)] = []

    init(name: String) { self.name = name }

    mutating func add(step: Double, value: Double, at location: LogLocation, mode: ReadMode) {
        guard value.isFinite else {
            nonFinite.append(location)
            return
        }
        if mode == .resume, let last = points.last, step <= last.step {
            // Points are strictly increasing in resume mode, so the replaced ones are a suffix.
            let keep = firstIndex(withStepAtLeast: step)
            let replaced = points.count - keep
            points.removeSubrange(keep...)
            rewinds.append((location, step, replaced))
        }
        points.append(MetricPoint(step: step, value: value, location: location))
    }

    private func firstIndex(withStepAtLeast step: Double) -> Int {
        var low = 0
        var high = points.count
        while low < high {
            let mid = (low + high) / 2
            if points[mid].step < step { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func issues() -> [ReadIssue] {
        var result: [ReadIssue] = []
        if let first = nonFinite.first {
            result.append(
                ReadIssue(
                    kind: .nonFiniteValuesDropped, metric: name, locations: nonFinite,
                    message: "\(first.file): \(fieldLabel): dropped \(nonFinite.count) NaN/inf "
                        + "value\(nonFinite.count == 1 ? "" : "s") at \(describePositions(nonFinite)); "
                        + "these points are not used for fitting"))
        }
        for rewind in rewinds {
            result.append(
                ReadIssue(
                    kind: .resumedStepsReplaced, metric: name, locations: [rewind.location],
                    message: "\(rewind.location): \(fieldLabel): step \(formatStep(rewind.step)) was logged "
                        + "again (resumed run); the later write wins: \(rewind.replaced) earlier "
                        + "point\(rewind.replaced == 1 ? "" : "s") with step >= \(formatStep(rewind.step)) replaced"))
        }
        return result
    }

    private var fieldLabel: String { "metric '\(name)'" }
}

/// Steps print as integers when they are integers (`2176`, not `2176.0`).
func formatStep(_ step: Double) -> String {
    if step.isFinite, step == step.rounded(), abs(step) < 1e15 { return String(Int64(step)) }
    return String(step)
}

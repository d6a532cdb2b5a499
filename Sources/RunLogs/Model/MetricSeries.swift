/// One logged value of a metric: the x position (step) and the value, with where it was read.
public struct MetricPoint: Sendable, Hashable {
    /// The x coordinate: the training step as logged (a Double so that tokens or FLOPs fit too).
    public var step: Double
    /// The logged value (always finite: readers drop NaN/inf and report them as a `ReadIssue`).
    public var value: Double
    /// The line or byte offset the point was read from.
    public var location: LogLocation

    /// Creates a point.
    public init(step: Double, value: Double, location: LogLocation) {
        self.step = step
        self.value = value
        self.location = location
    }
}

/// The points of one named metric (`loss`, `eval_loss`, `val_loss`, a TensorBoard tag, or the LR).
///
/// In `ReadMode.resume` (the default) points are strictly increasing in step: a step logged again
/// replaces the earlier write. In `ReadMode.strict` points are in file order, duplicates and
/// out-of-order steps included, and `validateForFitting` reports them.
public struct MetricSeries: Sendable, Hashable {
    /// The metric's name as the log spells it.
    public var name: String
    /// The file (or run directory, for merged TensorBoard files) the series was read from.
    public var source: String
    /// The points, in the order described above.
    public var points: [MetricPoint]

    /// Creates a series.
    public init(name: String, source: String, points: [MetricPoint]) {
        self.name = name
        self.source = source
        self.points = points
    }

    /// The steps, in point order.
    public var steps: [Double] { points.map(\.step) }
    /// The values, in point order.
    public var values: [Double] { points.map(\.value) }
    /// The number of points.
    public var count: Int { points.count }
    /// Whether the series has no points.
    public var isEmpty: Bool { points.isEmpty }
}

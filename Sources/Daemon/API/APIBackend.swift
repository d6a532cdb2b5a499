/// What the HTTP API asks of the daemon; `APIRouter` maps requests onto it, so that routing is
/// tested without sockets and without a daemon.
protocol APIBackend: Sendable {
    /// GET /healthz.
    func health() -> JSON
    /// GET /runs.
    func runList() -> JSON
    /// GET /runs/{id}; nil for an unknown run.
    func runDetail(_ id: String) -> JSON?
    /// GET /runs/{id}/decision: the decision file's JSON.
    func decision(_ id: String) -> Result<[UInt8], HTTPError>
    /// GET /runs/{id}/forecast: the metric at `steps` (nil: the horizon) with quantiles at `levels`
    /// (nil: the default levels).
    func forecast(_ id: String, steps: [Double]?, levels: [Double]?) -> Result<JSON, HTTPError>
    /// POST /runs/{id}/points.
    func push(_ id: String, points: [PushedPoint]) -> Result<JSON, HTTPError>
}

/// A point sent with POST /runs/{id}/points.
struct PushedPoint: Sendable, Equatable, Decodable {
    var step: Double
    var value: Double
}

import Foundation

/// Maps HTTP requests onto an `APIBackend`:
/// ```
/// GET  /healthz                   liveness and counts
/// GET  /runs                      every run with its decision and error, if any
/// GET  /runs/{id}                 one run: source, points, issues, fit, decision
/// GET  /runs/{id}/decision        the decision file
/// GET  /runs/{id}/forecast?at=S1,S2&quantiles=0.1,0.9
///                                 the metric at steps S1, S2 (default: the horizon)
/// POST /runs/{id}/points          push points: {"step": S, "value": V}, [{...}, ...] or {"points": [...]}
/// ```
/// HEAD is answered like GET without the body. Unknown paths get 404, known paths with another
/// method 405 (with `Allow`), bad parameters or bodies 400/415/422, all with a JSON error body.
struct APIRouter: Sendable {
    let backend: any APIBackend

    /// Most steps one forecast request may ask for.
    static let maximumForecastSteps = 1_000
    /// Most points one push may carry.
    static let maximumPushedPoints = 100_000

    func respond(to request: HTTPRequest) -> HTTPResponse {
        let method = request.method == "HEAD" ? "GET" : request.method
        let path = request.segments
        switch path.count {
        case 0:
            guard method == "GET" else { return notAllowed("GET") }
            return .json(200, .object([("service", .string("curvecast watch")), ("endpoints", .array([
                "GET /healthz", "GET /runs", "GET /runs/{id}", "GET /runs/{id}/decision",
                "GET /runs/{id}/forecast?at=STEP,STEP&quantiles=Q,Q", "POST /runs/{id}/points",
            ].map(JSON.string)))]))
        case 1 where path[0] == "healthz":
            guard method == "GET" else { return notAllowed("GET") }
            return .json(200, backend.health())
        case 1 where path[0] == "runs":
            guard method == "GET" else { return notAllowed("GET") }
            return .json(200, backend.runList())
        case 2 where path[0] == "runs":
            guard method == "GET" else { return notAllowed("GET") }
            guard let detail = backend.runDetail(path[1]) else { return unknownRun(path[1]) }
            return .json(200, detail)
        case 3 where path[0] == "runs" && path[2] == "decision":
            guard method == "GET" else { return notAllowed("GET") }
            switch backend.decision(path[1]) {
            case .success(let bytes): return .json(200, bytes: bytes)
            case .failure(let error): return .error(error.status, error.message)
            }
        case 3 where path[0] == "runs" && path[2] == "forecast":
            guard method == "GET" else { return notAllowed("GET") }
            return forecast(path[1], query: request.query)
        case 3 where path[0] == "runs" && path[2] == "points":
            guard method == "POST" else { return notAllowed("POST") }
            return push(path[1], request: request)
        default:
            return .error(404, "no such endpoint: \(request.method) \(request.target.prefix(200)); GET / lists the endpoints")
        }
    }

    private func notAllowed(_ allowed: String) -> HTTPResponse {
        var response = HTTPResponse.error(405, "method not allowed here; use \(allowed)")
        response.headers.append(("Allow", allowed == "GET" ? "GET, HEAD" : allowed))
        return response
    }

    private func unknownRun(_ id: String) -> HTTPResponse {
        .error(404, "no run '\(id.prefix(200))'; GET /runs lists the runs")
    }

    private func forecast(_ id: String, query: [String: String]) -> HTTPResponse {
        let known: Set<String> = ["at", "quantiles"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            return .error(400, "unknown parameter '\(unknown.prefix(100))'; the parameters are at=STEP,STEP and quantiles=Q,Q")
        }
        var steps: [Double]?
        if let text = query["at"] {
            guard let list = Self.numbers(text, accept: { $0 > 0 }), list.count <= Self.maximumForecastSteps else {
                return .error(400, "at: give up to \(Self.maximumForecastSteps) steps > 0 separated by commas, e.g. at=10000,20000")
            }
            steps = list
        }
        var levels: [Double]?
        if let text = query["quantiles"] {
            guard let list = Self.numbers(text, accept: { $0 > 0 && $0 < 1 }), list.count <= 99 else {
                return .error(400, "quantiles: give levels strictly between 0 and 1 separated by commas, e.g. quantiles=0.1,0.5,0.9")
            }
            levels = list.sorted()
        }
        switch backend.forecast(id, steps: steps, levels: levels) {
        case .success(let json): return .json(200, json)
        case .failure(let error): return .error(error.status, error.message)
        }
    }

    private func push(_ id: String, request: HTTPRequest) -> HTTPResponse {
        if let type = request.header("content-type")?.lowercased(),
           !type.hasPrefix("application/json"), !type.hasPrefix("application/x-ndjson") {
            return .error(415, "send the points as JSON (Content-Type: application/json)")
        }
        switch Self.decodePoints(request.body) {
        case .failure(let error): return .error(error.status, error.message)
        case .success(let points):
            switch backend.push(id, points: points) {
            case .success(let json): return .json(200, json)
            case .failure(let error): return .error(error.status, error.message)
            }
        }
    }

    /// A comma-separated list of finite numbers each passing `accept`; nil otherwise.
    static func numbers(_ text: String, accept: (Double) -> Bool) -> [Double]? {
        var values: [Double] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Double(item.trimmingSpaces()), value.isFinite, accept(value) else { return nil }
            values.append(value)
        }
        return values.isEmpty ? nil : values
    }

    /// The points of a push body: one point, an array of points, or {"points": [...]}. Every
    /// point needs a finite `step` > 0 and a finite `value`; a message names the first bad one.
    static func decodePoints(_ body: [UInt8]) -> Result<[PushedPoint], HTTPError> {
        struct Batch: Decodable { var points: [PushedPoint] }
        let data = Data(body)
        let top: Any
        do {
            top = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
        } catch {
            return .failure(HTTPError(status: 400, message: "the body is not JSON (\(Self.reason(error))); send {\"step\": S, \"value\": V}"))
        }
        let points: [PushedPoint]
        do {
            if top is [Any] {
                points = try JSONDecoder().decode([PushedPoint].self, from: data)
            } else if let object = top as? [String: Any], object["points"] != nil {
                points = try JSONDecoder().decode(Batch.self, from: data).points
            } else {
                points = [try JSONDecoder().decode(PushedPoint.self, from: data)]
            }
        } catch {
            return .failure(HTTPError(status: 422, message: Self.reason(error)
                + "; each point is {\"step\": NUMBER > 0, \"value\": NUMBER}"))
        }
        guard !points.isEmpty else { return .failure(HTTPError(status: 422, message: "no points in the body")) }
        guard points.count <= maximumPushedPoints else {
            return .failure(HTTPError(status: 413, message: "\(points.count) points; push at most \(maximumPushedPoints) at a time"))
        }
        for (index, point) in points.enumerated() {
            guard point.step.isFinite, point.step > 0 else {
                return .failure(HTTPError(status: 422, message: "point \(index): step \(JSON.format(point.step)) is not a finite number > 0"))
            }
            guard point.value.isFinite else {
                return .failure(HTTPError(status: 422, message: "point \(index): value is not a finite number"))
            }
        }
        return .success(points)
    }

    /// A decoding error as `field points[2].value: expected a number`.
    private static func reason(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "the body" : "point" + text)
        }
        switch error {
        case DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context):
            return "\(path(context.codingPath)): " + (type == Double.self ? "not a number" : "not a point object")
        case DecodingError.keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case DecodingError.dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        default:
            let description = (error as NSError).userInfo["NSDebugDescription"] as? String
            return description ?? "invalid JSON"
        }
    }
}

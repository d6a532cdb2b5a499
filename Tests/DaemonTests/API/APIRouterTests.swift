@testable import Daemon
import Foundation
import Testing

/// The router against a backend that records what it was asked.
struct APIRouterTests {
    final class FakeBackend: APIBackend, @unchecked Sendable {
        var pushed: [(String, [PushedPoint])] = []
        var forecasts: [(String, [Double]?, [Double]?)] = []

        func health() -> JSON { .object([("status", .string("ok"))]) }
        func runList() -> JSON { .object([("runs", .array([.string("a")]))]) }
        func runDetail(_ id: String) -> JSON? { id == "a" ? .object([("id", .string("a"))]) : nil }
        func decision(_ id: String) -> Result<[UInt8], HTTPError> {
            id == "a" ? .success(Array("{\"decision\":\"continue\"}".utf8)) : .failure(HTTPError(status: 404, message: "no run"))
        }
        func forecast(_ id: String, steps: [Double]?, levels: [Double]?) -> Result<JSON, HTTPError> {
            forecasts.append((id, steps, levels))
            return .success(.object([("run", .string(id))]))
        }
        func push(_ id: String, points: [PushedPoint]) -> Result<JSON, HTTPError> {
            pushed.append((id, points))
            return .success(.object([("accepted", .integer(points.count))]))
        }
    }

    func respond(_ backend: FakeBackend, _ method: String, _ target: String, body: String = "",
                 headers: String = "") -> HTTPResponse {
        let text = "\(method) \(target) HTTP/1.1\r\n\(headers)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        guard case .request(let request, _) = HTTPRequestParser.parse(ArraySlice(Array(text.utf8)), limits: HTTPLimits()) else {
            Issue.record("test request did not parse: \(target)")
            return HTTPResponse(status: 0)
        }
        return APIRouter(backend: backend).respond(to: request)
    }

    func object(_ response: HTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    @Test func routesToTheBackend() {
        let backend = FakeBackend()
        #expect(respond(backend, "GET", "/healthz").status == 200)
        #expect(object(respond(backend, "GET", "/runs"))["runs"] as? [String] == ["a"])
        #expect(respond(backend, "GET", "/runs/a").status == 200)
        #expect(respond(backend, "GET", "/runs/a/").status == 200)
        let decision = respond(backend, "GET", "/runs/a/decision")
        #expect(decision.status == 200 && String(decoding: decision.body, as: UTF8.self) == "{\"decision\":\"continue\"}\n")
        #expect(respond(backend, "HEAD", "/runs/a/decision").status == 200)
        #expect(respond(backend, "GET", "/").status == 200)
    }

    @Test func unknownRunsPathsAndMethodsAreJSONErrors() {
        let backend = FakeBackend()
        let missing = respond(backend, "GET", "/runs/b")
        #expect(missing.status == 404)
        #expect((object(missing)["error"] as? [String: Any])?["message"] as? String == "no run 'b'; GET /runs lists the runs")
        #expect(respond(backend, "GET", "/runs/b/decision").status == 404)
        #expect(respond(backend, "GET", "/nothing/here").status == 404)
        let wrong = respond(backend, "DELETE", "/runs/a")
        #expect(wrong.status == 405)
        #expect(wrong.headers.contains { $0.name == "Allow" && $0.value == "GET, HEAD" })
        #expect(respond(backend, "GET", "/runs/a/points").status == 405)
        #expect(respond(backend, "POST", "/runs").status == 405)
    }

    @Test func forecastParametersAreChecked() {
        let backend = FakeBackend()
        #expect(respond(backend, "GET", "/runs/a/forecast").status == 200)
        #expect(respond(backend, "GET", "/runs/a/forecast?at=1000,2e4&quantiles=0.9,0.1").status == 200)
        #expect(backend.forecasts.last?.1 == [1000, 20_000])
        #expect(backend.forecasts.last?.2 == [0.1, 0.9])
        for bad in ["at=", "at=-5", "at=abc", "at=1,,2", "at=nan", "quantiles=1.5", "quantiles=0", "ats=5"] {
            #expect(respond(backend, "GET", "/runs/a/forecast?\(bad)").status == 400, "\(bad)")
        }
        #expect(backend.forecasts.count == 2)
    }

    @Test func pushedBodiesInEveryShapeAndTheirErrors() {
        let backend = FakeBackend()
        #expect(respond(backend, "POST", "/runs/p/points", body: #"{"step": 10, "value": 3.5}"#).status == 200)
        #expect(respond(backend, "POST", "/runs/p/points", body: #"[{"step": 20, "value": 3.4}, {"step": 30, "value": 3.3}]"#).status == 200)
        #expect(respond(backend, "POST", "/runs/p/points", body: #"{"points": [{"step": 40, "value": 3.2, "extra": true}]}"#,
                        headers: "Content-Type: application/json; charset=utf-8\r\n").status == 200)
        #expect(backend.pushed.map(\.1.count) == [1, 2, 1])
        #expect(backend.pushed[1].1 == [PushedPoint(step: 20, value: 3.4), PushedPoint(step: 30, value: 3.3)])

        let cases: [(String, Int, String)] = [
            ("", 400, "not JSON"), ("{", 400, "not JSON"), (#"{"step": 1}"#, 422, "value: missing"),
            (#"{"step": "1", "value": 2}"#, 422, "step: not a number"), (#"[{"step": 1, "value": true}]"#, 422, "point[0].value"),
            (#"{"points": [{"step": 1, "value": 1}, {"step": -2, "value": 1}]}"#, 422, "point 1: step -2"),
            (#"{"points": []}"#, 422, "no points"), (#"{"step": 1e400, "value": 1}"#, 400, "not JSON"),
            ("[1, 2]", 422, "point[0]: not a point object"), ("\"text\"", 422, "the body: not a point object"),
        ]
        for (body, status, message) in cases {
            let response = respond(backend, "POST", "/runs/p/points", body: body)
            let text = (object(response)["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(response.status == status, "\(body): \(response.status) \(text)")
            #expect(text.contains(message), "\(body): \(text)")
        }
        #expect(respond(backend, "POST", "/runs/p/points", body: "step=1", headers: "Content-Type: text/plain\r\n").status == 415)
        #expect(backend.pushed.count == 3)
    }
}

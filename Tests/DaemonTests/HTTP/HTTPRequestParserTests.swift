@testable import Daemon
import Foundation
import Sampling
import Testing

struct HTTPRequestParserTests {
    let limits = HTTPLimits()

    func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) -> HTTPRequestParser.Outcome {
        HTTPRequestParser.parse(ArraySlice(Array(text.utf8)), limits: limits)
    }

    func request(_ text: String) throws -> (HTTPRequest, Int) {
        guard case .request(let request, let consumed) = parse(text) else {
            Issue.record("not parsed as a request: \(text.debugDescription)")
            throw CancellationError()
        }
        return (request, consumed)
    }

    func status(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Int? {
        if case .failure(let error) = parse(text, limits: limits) { return error.status }
        return nil
    }

    @Test func aGetWithQueryAndHeaders() throws {
        let text = "GET /runs/lr%2D3e-4/forecast?at=1000,2000&quantiles=0.1%2C0.9 HTTP/1.1\r\nHost: localhost\r\nX-Thing:  a b \r\n\r\n"
        let (request, consumed) = try request(text)
        #expect(consumed == text.utf8.count)
        #expect(request.method == "GET")
        #expect(request.segments == ["runs", "lr-3e-4", "forecast"])
        #expect(request.query == ["at": "1000,2000", "quantiles": "0.1,0.9"])
        #expect(request.header("x-thing") == "a b")
        #expect(request.keepAlive)
        #expect(request.body.isEmpty)
    }

    @Test func connectionHandlingFollowsTheVersion() throws {
        #expect(try request("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").0.keepAlive == false)
        #expect(try request("GET / HTTP/1.0\r\n\r\n").0.keepAlive == false)
        #expect(try request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").0.keepAlive)
        // Bare LF line endings and empty lines before the request line are accepted.
        #expect(try request("\r\n\nGET /healthz HTTP/1.1\nHost: x\n\n").0.segments == ["healthz"])
    }

    @Test func bodiesComeFromContentLengthAndPipelinedRequestsStayInTheBuffer() throws {
        let first = "POST /runs/a/points HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
        let second = "GET /runs HTTP/1.1\r\n\r\n"
        let (request, consumed) = try request(first + second)
        #expect(request.body == Array("hello".utf8))
        #expect(consumed == first.utf8.count)
        let rest = Array((first + second).utf8)[consumed...]
        guard case .request(let next, _) = HTTPRequestParser.parse(rest, limits: limits) else {
            Issue.record("the pipelined request was not parsed")
            return
        }
        #expect(next.segments == ["runs"])
    }

    @Test func everyPrefixOfARequestIsIncomplete() {
        let text = Array("POST /runs/a/points HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n{\"step\": 1}\n".utf8)
        for end in 0..<text.count {
            guard case .incomplete = HTTPRequestParser.parse(text[0..<end], limits: limits) else {
                Issue.record("prefix of \(end) bytes was not incomplete")
                return
            }
        }
        guard case .request = HTTPRequestParser.parse(text[...], limits: limits) else {
            Issue.record("the whole request did not parse")
            return
        }
    }

    @Test func limitsGive4xx() {
        var small = HTTPLimits()
        small.maximumHeaderBytes = 64
        small.maximumBodyBytes = 10
        small.maximumHeaderCount = 2
        #expect(status("GET /" + String(repeating: "a", count: 100), limits: small) == 414)
        #expect(status("GET / HTTP/1.1\r\nA: " + String(repeating: "b", count: 100), limits: small) == 431)
        #expect(status("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: small) == 431)
        #expect(status("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits: small) == 413)
        #expect(status(String(repeating: "\r\n", count: 100), limits: small) == 400)
    }

    @Test func malformedRequestsGive400Or411Or505() {
        #expect(status("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx") == 400)
        #expect(status("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n") == 400)
        #expect(status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 411)
        #expect(status("GET / HTTP/1.1\r\n folded\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nNoColon\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nX: a\u{01}b\r\n\r\n") == 400)
        #expect(status("GET / HTTP/2.0\r\n\r\n") == 505)
        #expect(status("GET / FTP/1.0\r\n\r\n") == 400)
        #expect(status("GET  / HTTP/1.1\r\n\r\n") == 400)
        #expect(status("GET http://host/ HTTP/1.1\r\n\r\n") == 400)
        #expect(status("GET /%zz HTTP/1.1\r\n\r\n") == 400)
        #expect(status("GET /%00 HTTP/1.1\r\n\r\n") == 400)
        #expect(status("GET /%ff%fe HTTP/1.1\r\n\r\n") == 400)
        #expect(status("G(T / HTTP/1.1\r\n\r\n") == 400)
        #expect(status("GET /a\u{7F} HTTP/1.1\r\n\r\n") == 400)
    }

    /// Random bytes, random mutations of a valid request, random truncations: the parser always
    /// answers (request, incomplete or a 4xx/505 failure) and never traps.
    @Test func randomInputNeverTraps() {
        var rng = Xoshiro256StarStar(seed: 42)
        let valid = Array("POST /runs/a%20b/points?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nabcd".utf8)
        let alphabet = Array("GETPOST /%?&=:\r\n HTTP/1.01Content-Length9\t\u{0}\u{7F}é".utf8)
        var failures: [Int: Int] = [:]
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(rng.next() % 200)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            } else {
                bytes = valid
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let index = Int(rng.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: rng.next())
                }
                bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
            }
            if case .failure(let error) = HTTPRequestParser.parse(bytes[...], limits: limits) {
                #expect((400..<500).contains(error.status) || error.status == 505)
                failures[error.status, default: 0] += 1
            }
        }
        #expect(failures[400, default: 0] > 100)
    }
}

@testable import Daemon
import Foundation
import Testing

struct AtomicFileTests {
    @Test func writesReplaceTheWholeFileAndLeaveNoTemporary() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.path("run.json")
        try AtomicFile.write(Array("{\"a\": 1}".utf8), to: file)
        let long = "{\"a\": \"" + String(repeating: "x", count: 100_000) + "\"}"
        try AtomicFile.write(Array(long.utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == long)
        try AtomicFile.write(Array("{}".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "{}")
        #expect(folder.list("") == ["run.json"])
    }

    @Test func concurrentWritersNeverShowAReaderAMix() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.path("d.json")
        let contents = (0..<8).map { "{\"writer\": \($0), \"pad\": \"" + String(repeating: "\($0)", count: 20_000) + "\"}" }
        try AtomicFile.write(Array(contents[0].utf8), to: file)
        DispatchQueue.concurrentPerform(iterations: 9) { index in
            if index == 8 {
                // The reader: every read is one complete version.
                for _ in 0..<200 {
                    let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                    #expect(contents.contains(text))
                }
            } else {
                for _ in 0..<25 { try? AtomicFile.write(Array(contents[index].utf8), to: file) }
            }
        }
        #expect(folder.list("") == ["d.json"])
    }

    @Test func temporariesOfACrashAreRemoved() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(".tmp-a.json-123-1", "{\"half")
        try folder.write("a.json", "{}")
        #expect(AtomicFile.removeTemporaries(in: folder.url) == 1)
        #expect(folder.list("") == ["a.json"])
    }

    @Test func anIncompleteLastLineIsCutBeforeAnAppend() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("p.jsonl", "{\"step\":1,\"value\":2}\n{\"step\":2,\"va")
        #expect(try AtomicFile.dropIncompleteLastLine(file) == 13)
        try AtomicFile.appendDurably(Array("{\"step\":3,\"value\":1}\n".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "{\"step\":1,\"value\":2}\n{\"step\":3,\"value\":1}\n")
        #expect(try AtomicFile.dropIncompleteLastLine(file) == 0)
        #expect(try AtomicFile.dropIncompleteLastLine(folder.path("missing.jsonl")) == 0)
        let long = try folder.write("l.jsonl", String(repeating: "y", count: 10_000))
        #expect(try AtomicFile.dropIncompleteLastLine(long) == 10_000)
    }
}

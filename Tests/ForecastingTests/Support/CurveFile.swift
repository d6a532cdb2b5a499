import Foundation
import TestSupport

/// A shared-data curve read with a tiny CSV parser: a header naming `step` and `loss` (other
/// columns such as `lr` or `tokens` are ignored), then one numeric row per logged step.
struct CurveFile {
    var steps: [Double]
    var losses: [Double]

    init(_ relative: String) throws {
        let text = try String(contentsOf: RepositoryPaths.sharedFile("curves/" + relative), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let si = header.firstIndex(of: "step"), let li = header.firstIndex(of: "loss") else {
            throw CocoaError(.fileReadCorruptFile)
        }
        steps = []
        losses = []
        for line in lines where !line.isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard let s = Double(f[si]), let l = Double(f[li]) else { throw CocoaError(.fileReadCorruptFile) }
            steps.append(s)
            losses.append(l)
        }
    }
}

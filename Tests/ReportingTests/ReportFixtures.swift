import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reporting

/// A run with a known shape: loss = 2 + 5 step^-0.5 at steps 10...400, fitted up to 200, and a
/// forecast from 200 to 2000 whose quantiles are the median times fixed factors.
func sampleRun(name: String = "run-a.csv", scale: Double = 1, target: Double? = 2.1,
               learningRate: Bool = false, models: [ReportModel]? = nil) -> ReportRun {
    let steps = (1...40).map { Double(10 * $0) }
    let values = steps.map { scale * (2 + 5 * pow($0, -0.5)) }
    let forecastSteps = (0..<12).map { 200 * pow(10, Double($0) / 11) }
    let factors: [Double: Double] = [0.025: 0.94, 0.1: 0.96, 0.25: 0.98, 0.5: 1, 0.75: 1.02, 0.9: 1.045, 0.975: 1.07]
    let forecast = forecastSteps.map { s -> ReportForecastPoint in
        let median = scale * (2 + 5 * pow(s, -0.5))
        return ReportForecastPoint(step: s, mean: median * 1.001, quantiles: factors.mapValues { $0 * median })
    }
    let lr = learningRate
        ? LearningRateSeries(steps: steps, values: steps.map { 3e-4 * min(1, $0 / 50) * (1 - $0 / 500) }, label: "learning rate (logged 'lr')")
        : nil
    return ReportRun(
        name: name, observedSteps: steps, observedValues: values, fitUntil: 200, forecast: forecast,
        learningRate: lr, target: target, probabilityBeatsTarget: target == nil ? nil : 0.42, modelLabel: "power_law",
        models: models ?? [ReportModel(
            name: "power_law", weight: 1, noise: "gaussian", diagnosticsPass: true,
            checks: [DiagnosticCheck(name: "max R-hat", value: "1.002", threshold: "<= 1.01", passed: true, meaning: "the chains have not mixed")],
            samplerLine: "4 chains x 500 draws")])
}

/// A model whose diagnostics failed, with the words a reader should see.
let failingModel = ReportModel(
    name: "broken_power_law", weight: 1, noise: "ar1", diagnosticsPass: false,
    checks: [DiagnosticCheck(name: "divergent transitions", value: "12 of 2000", threshold: "0", passed: false,
                             meaning: "the posterior may be biased")],
    warnings: ["12 of 2000 transitions diverged; the posterior may be biased, try a higher target acceptance rate or reparameterize"])

enum XMLCheck {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses `text` as XML (throws with the parser's message when it is not well-formed).
    static func document(_ text: String) throws -> XMLDocument {
        do {
            return try XMLDocument(data: Data(text.utf8), options: [])
        } catch {
            throw Malformed(description: "not well-formed XML: \(error)")
        }
    }

    /// Every element named `name` (local name, any namespace), in document order.
    static func elements(_ name: String, in node: XMLNode) -> [XMLElement] {
        var found: [XMLElement] = []
        func visit(_ node: XMLNode) {
            if let element = node as? XMLElement, (element.localName ?? element.name) == name { found.append(element) }
            for child in node.children ?? [] { visit(child) }
        }
        visit(node)
        return found
    }

    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        // Not `attribute(forName:)`: in swift-corelibs-foundation it misses attributes of elements
        // in a default namespace (the SVG's).
        element.attributes?.first { $0.name == name }?.stringValue
    }

    /// Elements named `name` whose class list contains `className`.
    static func elements(_ name: String, classed className: String, in node: XMLNode) -> [XMLElement] {
        elements(name, in: node).filter { (attribute($0, "class") ?? "").split(separator: " ").contains(Substring(className)) }
    }

    /// The points of an `M x,y L x,y ... [Z]` path.
    static func points(_ d: String) -> [(x: Double, y: Double)] {
        d.split(separator: " ").compactMap { token -> (Double, Double)? in
            guard let first = token.first, first == "M" || first == "L" else { return nil }
            let pair = token.dropFirst().split(separator: ",").compactMap { Double($0) }
            return pair.count == 2 ? (pair[0], pair[1]) : nil
        }
    }
}

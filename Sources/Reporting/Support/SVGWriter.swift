/// Builds XML text element by element, escaping attribute values and text.
struct SVGWriter {
    private(set) var text = ""

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)\(Self.attributes(attributes))>\n"
    }

    mutating func close(_ name: String) { text += "</\(name)>\n" }

    mutating func empty(_ name: String, _ attributes: [(String, String)]) {
        text += "<\(name)\(Self.attributes(attributes))/>\n"
    }

    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text content: String) {
        text += "<\(name)\(Self.attributes(attributes))>\(Markup.escape(content))</\(name)>\n"
    }

    /// Already well-formed markup.
    mutating func raw(_ markup: String) { text += markup + "\n" }

    static func attributes(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(Markup.escape($0.1))\"" }.joined()
    }
}

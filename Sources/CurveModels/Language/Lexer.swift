/// One token of the model language, with where it starts.
struct Token: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case identifier(String)
        case number(Double)
        case string(String)
        case symbol(Character)  // ( ) , + - * / ^ =
        case newline
        case endOfFile
    }

    var kind: Kind
    var location: SourceLocation

    /// How the token is named in "expected X, found Y" messages.
    var spelled: String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .number(let value): return "number \(value)"
        case .string(let text): return "string \"\(text)\""
        case .symbol(let symbol): return "'\(symbol)'"
        case .newline: return "end of line"
        case .endOfFile: return "end of file"
        }
    }
}

/// Splits model-file text into tokens.
///
/// Newlines are tokens (a statement ends at the end of its line); `#` starts a comment that runs
/// to the end of the line. Columns count Unicode scalars, so a caret lines up in a plain terminal.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private let lines: [String]
    private var index = 0
    private var line = 1
    private var column = 1

    init(text: String, file: String) {
        self.scalars = Array(text.unicodeScalars)
        self.file = file
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
    }

    /// The text of a 1-based line, for error displays.
    func sourceLine(_ number: Int) -> String {
        number >= 1 && number <= lines.count ? lines[number - 1] : ""
    }

    func error(_ message: String, at location: SourceLocation) -> ModelDefinition.ParseError {
        ModelDefinition.ParseError(
            file: file, location: location, message: message, sourceLine: sourceLine(location.line))
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
    private func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    mutating func tokenize() throws(ModelDefinition.ParseError) -> [Token] {
        var tokens: [Token] = []
        while let scalar = current {
            let start = SourceLocation(line: line, column: column)
            switch scalar {
            case " ", "\t", "\r":
                advance()
            case "#":
                while let c = current, c != "\n" { advance() }
            case "\n":
                tokens.append(Token(kind: .newline, location: start))
                advance()
            case "(", ")", ",", "+", "-", "*", "/", "^", "=":
                tokens.append(Token(kind: .symbol(Character(scalar)), location: start))
                advance()
            case "\"":
                tokens.append(try lexString(start: start))
            case "0"..."9", ".":
                tokens.append(try lexNumber(start: start))
            case "a"..."z", "A"..."Z", "_":
                var name = ""
                while let c = current, Self.isIdentifierContinuation(c) {
                    name.unicodeScalars.append(c)
                    advance()
                }
                tokens.append(Token(kind: .identifier(name), location: start))
            default:
                throw error(
                    "unexpected character '\(scalar)'; expressions use + - * / ^, names, numbers and"
                        + " parentheses, and '#' starts a comment", at: start)
            }
        }
        tokens.append(Token(kind: .endOfFile, location: SourceLocation(line: line, column: column)))
        return tokens
    }

    private static func isIdentifierContinuation(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_": return true
        default: return false
        }
    }

    private static func isDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return ("0"..."9").contains(c)
    }

    private mutating func lexString(start: SourceLocation) throws(ModelDefinition.ParseError) -> Token {
        advance()  // opening quote
        var text = ""
        while let c = current, c != "\"" {
            if c == "\n" { break }
            text.unicodeScalars.append(c)
            advance()
        }
        guard current == "\"" else {
            throw error("unterminated string; close it with '\"' on the same line", at: start)
        }
        advance()
        return Token(kind: .string(text), location: start)
    }

    /// Numbers: `12`, `0.5`, `.5`, `1e-3`, `2.5E+4`.
    private mutating func lexNumber(start: SourceLocation) throws(ModelDefinition.ParseError) -> Token {
        var text = ""
        while Self.isDigit(current) {
            text.unicodeScalars.append(current!)
            advance()
        }
        if current == "." {
            text.append(".")
            advance()
            while Self.isDigit(current) {
                text.unicodeScalars.append(current!)
                advance()
            }
        }
        if current == "e" || current == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if Self.isDigit(peek(signed ? 2 : 1)) {
                text.append("e")
                advance()
                if signed {
                    text.unicodeScalars.append(current!)
                    advance()
                }
                while Self.isDigit(current) {
                    text.unicodeScalars.append(current!)
                    advance()
                }
            } else {
                throw error("malformed number '\(text)e': an exponent needs digits, as in 1e-3", at: start)
            }
        }
        if let c = current, Self.isIdentifierContinuation(c) || c == "." {
            throw error(
                "malformed number starting '\(text)\(c)'; write numbers like 3, 0.5 or 1e-3 and put an"
                    + " operator between a number and a name", at: start)
        }
        guard let value = Double(text), value.isFinite, text != "." else {
            throw error("malformed number '\(text)'; write numbers like 3, 0.5 or 1e-3", at: start)
        }
        return Token(kind: .number(value), location: start)
    }
}

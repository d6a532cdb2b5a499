/// A position in a model file, 1-based.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

extension ModelDefinition {
    /// An error in a model file: where it is, what is wrong, and (in `message`) what to do.
    ///
    /// `description` reads like a compiler diagnostic, with the offending line and a caret:
    /// ```
    /// power_law.model:4:17: expected ')' to close '(' opened at 4:10
    ///     mean E + A * (t ^ -alpha
    ///                             ^
    /// ```
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The file name as given to the parser (usually the last path component).
        public var file: String
        public var location: SourceLocation
        public var message: String
        /// The text of the offending line (without its newline), for the caret display.
        public var sourceLine: String

        public init(file: String, location: SourceLocation, message: String, sourceLine: String = "") {
            self.file = file
            self.location = location
            self.message = message
            self.sourceLine = sourceLine
        }

        public var line: Int { location.line }
        public var column: Int { location.column }

        public var description: String {
            var text = "\(file):\(location.line):\(location.column): \(message)"
            if !sourceLine.isEmpty {
                let caretPadding = String(repeating: " ", count: max(0, location.column - 1))
                text += "\n    \(sourceLine)\n    \(caretPadding)^"
            }
            return text
        }
    }
}

import Foundation

/// Typed reading of option values, each with a message that names the option, the value and
/// what is expected.
extension ArgumentParser.Parsed {
    typealias Failure = CommandLineTool.Failure

    func string(_ name: String) -> String? { values[name] }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// A whole number in `range`.
    func integer(_ name: String, in range: ClosedRange<Int>, command: String) throws(Failure) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw .usage("option '--\(name)': '\(text)' is not \(Self.describe(range))", command: command)
        }
        return value
    }

    /// A seed: a whole number >= 0 (up to 2^64 - 1).
    func seed(_ name: String, command: String) throws(Failure) -> UInt64? {
        guard let text = values[name] else { return nil }
        guard let value = UInt64(text) else {
            throw .usage("option '--\(name)': '\(text)' is not a whole number >= 0", command: command)
        }
        return value
    }

    /// A finite number > 0.
    func positiveNumber(_ name: String, command: String) throws(Failure) -> Double? {
        guard let text = values[name] else { return nil }
        guard let value = Self.number(text), value > 0 else {
            throw .usage("option '--\(name)': '\(text)' is not a number > 0", command: command)
        }
        return value
    }

    /// One of `choices`.
    func choice(_ name: String, _ choices: [String], command: String) throws(Failure) -> String? {
        guard let text = values[name] else { return nil }
        guard choices.contains(text) else {
            throw .usage(
                "option '--\(name)': '\(text)' is not one of \(choices.joined(separator: ", "))", command: command)
        }
        return text
    }

    /// A comma-separated list of finite numbers, each checked by `accept` (which says what is
    /// expected when it returns false), kept with the text the user wrote.
    func numberList(
        _ name: String, command: String, expected: String, accept: (Double) -> Bool
    ) throws(Failure) -> [(text: String, value: Double)]? {
        guard let text = values[name] else { return nil }
        var items: [(text: String, value: Double)] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = piece.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else {
                throw .usage(
                    "option '--\(name)': '\(text)' has an empty entry; give \(expected) separated by commas",
                    command: command)
            }
            guard let value = Self.number(item), accept(value) else {
                throw .usage("option '--\(name)': '\(item)' is not \(expected)", command: command)
            }
            items.append((item, value))
        }
        return items
    }

    /// A finite number in the usual notations (`1e5`, `0.5`, `100`), nothing else.
    static func number(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "a whole number >= \(range.lowerBound)" }
        return "a whole number from \(range.lowerBound) to \(range.upperBound)"
    }
}

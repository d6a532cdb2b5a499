/// A small parser for `curvecast COMMAND [FILE] [--option VALUE | --option=VALUE | --flag]...`.
///
/// Rules: options are long (`--name`); a value is the next argument, unless it starts with `--`
/// (then the value is missing), or follows `=`; an option may be given once, unless it is
/// repeatable (`--train A --train B`: its values are collected in order); `--` ends the options
/// (what follows is positional); `-h` and `--help` ask for help wherever they appear.
struct ArgumentParser {
    /// An option a command accepts.
    struct Option {
        var name: String
        /// The placeholder shown in messages (`N`, `FILE`); nil for a flag (no value).
        var value: String?
        /// Whether the option may be given several times (its values go to `Parsed.lists`).
        var repeatable = false

        static func flag(_ name: String) -> Option { Option(name: name, value: nil) }
        static func value(_ name: String, _ placeholder: String) -> Option { Option(name: name, value: placeholder) }
        static func values(_ name: String, _ placeholder: String) -> Option {
            Option(name: name, value: placeholder, repeatable: true)
        }
    }

    /// The command's name as typed (`fit`), for messages.
    var command: String
    var options: [Option]

    /// The parsed command line.
    struct Parsed: Equatable {
        var positionals: [String] = []
        var values: [String: String] = [:]
        /// The values of repeatable options, in the order given.
        var lists: [String: [String]] = [:]
        var flags: Set<String> = []
        var help = false
    }

    func parse(_ arguments: [String]) throws(CommandLineTool.Failure) -> Parsed {
        var parsed = Parsed()
        var index = 0
        var seen: Set<String> = []
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                parsed.positionals += arguments[index...]
                break
            }
            if argument == "-h" || argument == "--help" {
                parsed.help = true
                continue
            }
            guard argument.hasPrefix("-"), argument.count > 1, Double(argument) == nil else {
                parsed.positionals.append(argument)
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard name.hasPrefix("--"), let option = options.first(where: { "--" + $0.name == name }) else {
                throw .usage("unknown option '\(name)' for 'curvecast \(command)'", command: command)
            }
            guard option.repeatable || !seen.contains(option.name) else {
                throw .usage("option '\(name)' is given twice; give it once", command: command)
            }
            seen.insert(option.name)
            guard let placeholder = option.value else {
                if inlineValue != nil { throw .usage("option '\(name)' takes no value", command: command) }
                parsed.flags.insert(option.name)
                continue
            }
            if let inlineValue {
                guard !inlineValue.isEmpty else {
                    throw .usage("option '\(name)' needs a value (\(name) \(placeholder))", command: command)
                }
                parsed.store(inlineValue, for: option)
                continue
            }
            guard index < arguments.count, !arguments[index].hasPrefix("--"), !arguments[index].isEmpty else {
                throw .usage("option '\(name)' needs a value (\(name) \(placeholder))", command: command)
            }
            parsed.store(arguments[index], for: option)
            index += 1
        }
        return parsed
    }
}

extension ArgumentParser.Parsed {
    mutating func store(_ value: String, for option: ArgumentParser.Option) {
        if option.repeatable { lists[option.name, default: []].append(value) } else { values[option.name] = value }
    }
}

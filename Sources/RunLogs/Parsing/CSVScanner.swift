/// Splits bytes into RFC 4180 records: fields separated by `,`, records ended by LF or CRLF,
/// fields optionally in double quotes (a quoted field may hold commas, newlines and `""` for a
/// quote). Blank lines are skipped. Lenient where RFC 4180 is silent: a quote inside an unquoted
/// field is kept literally; fields are not trimmed here (the readers trim numbers).
struct CSVScanner {
    struct Record {
        /// The fields, decoded as UTF-8.
        var fields: [String]
        /// The 1-based line the record starts on.
        var line: Int
        /// The index just past the record's line terminator.
        var end: Int
    }

    /// A syntax error inside a quoted field.
    struct SyntaxError: Error {
        var line: Int
        var message: String
    }

    struct Result {
        var records: [Record]
        /// Index just past the last complete record (or skipped blank line).
        var consumed: Int
        /// The line number of the byte at `consumed`.
        var nextLine: Int
    }

    /// Scans `bytes[start...]`, whose first byte is on line `firstLine`.
    ///
    /// A record is complete when its terminator is present. When `unterminatedIsComplete` is true
    /// (a finished file) a last record without a newline counts as complete too; otherwise it is
    /// left unconsumed (pending).
    static func scan(
        _ bytes: [UInt8], from start: Int, firstLine: Int, unterminatedIsComplete: Bool
    ) throws(SyntaxError) -> Result {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records: [Record] = []
        var index = start
        var line = firstLine
        var consumed = start
        var consumedLine = firstLine
        let end = bytes.count

        recordLoop: while index < end {
            let recordLine = line
            var fields: [String] = []
            var field: [UInt8] = []
            var wasQuoted = false
            var sawAnything = false
            // Scan one record.
            while true {
                if index >= end {
                    // No terminator.
                    if !unterminatedIsComplete { break recordLoop }
                    if sawAnything || !isBlank(field) {
                        fields.append(String(decoding: field, as: UTF8.self))
                        records.append(Record(fields: fields, line: recordLine, end: end))
                    }
                    consumed = end
                    consumedLine = line
                    break recordLoop
                }
                let byte = bytes[index]
                if byte == quote && field.isEmpty && !wasQuoted {
                    // Quoted field.
                    wasQuoted = true
                    sawAnything = true
                    let openLine = line
                    index += 1
                    while true {
                        if index >= end {
                            if unterminatedIsComplete {
                                throw SyntaxError(
                                    line: openLine,
                                    message: "quoted field opened here is never closed; add the closing '\"'")
                            }
                            break recordLoop
                        }
                        let inner = bytes[index]
                        if inner == quote {
                            if index + 1 < end && bytes[index + 1] == quote {
                                field.append(quote)
                                index += 2
                                continue
                            }
                            if index + 1 >= end && !unterminatedIsComplete {
                                // Cannot tell `"` from the first half of `""` yet.
                                break recordLoop
                            }
                            index += 1
                            break
                        }
                        if inner == lf { line += 1 }
                        field.append(inner)
                        index += 1
                    }
                    // After the closing quote: a separator, a terminator or the end.
                    if index < end {
                        let next = bytes[index]
                        if next != comma && next != lf && next != cr {
                            throw SyntaxError(
                                line: line,
                                message: "unexpected character after a closing quote; a quoted field must "
                                    + "be followed by ',' or the end of the line (write \"\" for a quote)")
                        }
                    }
                    continue
                }
                if byte == comma {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    wasQuoted = false
                    sawAnything = true
                    index += 1
                    continue
                }
                if byte == lf || byte == cr {
                    var after = index + 1
                    if byte == cr {
                        if after >= end && !unterminatedIsComplete { break recordLoop }  // CR, LF may follow
                        if after < end && bytes[after] == lf { after += 1 }
                    }
                    line += 1
                    index = after
                    if sawAnything || !isBlank(field) {
                        fields.append(String(decoding: field, as: UTF8.self))
                        records.append(Record(fields: fields, line: recordLine, end: index))
                    }
                    consumed = index
                    consumedLine = line
                    continue recordLoop
                }
                field.append(byte)
                index += 1
            }
        }
        return Result(records: records, consumed: consumed, nextLine: consumedLine)
    }

    /// A line with no separator or quote and only spaces/tabs is blank (skipped).
    private static func isBlank(_ field: [UInt8]) -> Bool {
        field.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }
}

import Foundation

/// The incremental core shared by `CSVLogReader`, `LightningCSVReader` and `TailReader`: it is fed
/// the bytes of a file from a record boundary on and consumes the complete records.
struct CSVLogDecoder: Sendable {
    enum Flavor: Sendable {
        case generic(CSVLogReader.Options)
        case lightning(LightningCSVReader.Options)
    }

    typealias ReadError = CSVLogReader.ReadError

    let file: String
    let flavor: Flavor
    private(set) var header: [String]?
    /// The byte offset just past the header record (for detecting a rewritten header).
    private(set) var headerEnd = 0
    private var nextLine = 1
    private var stepIndex = 0
    private var valueIndices: [(name: String, index: Int)] = []
    private var learningRateIndex: Int?

    init(file: String, flavor: Flavor) {
        self.file = file
        self.flavor = flavor
    }

    var hasHeader: Bool { header != nil }

    /// Decodes the complete records of `bytes` (which start at file offset `baseOffset`, on a
    /// record boundary) into `builder`. Returns how many bytes were consumed; the rest is an
    /// incomplete last record, recorded in `builder.pending`.
    mutating func decode(
        _ bytes: [UInt8], baseOffset: Int, isFinished: Bool, into builder: inout RunLogBuilder
    ) throws(ReadError) -> Int {
        var start = 0
        if baseOffset == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        let unterminatedIsComplete: Bool
        switch flavor {
        case .generic: unterminatedIsComplete = isFinished
        case .lightning: unterminatedIsComplete = false  // Lightning always ends rows with CRLF
        }
        let scanned: CSVScanner.Result
        do {
            scanned = try CSVScanner.scan(
                bytes, from: start, firstLine: nextLine, unterminatedIsComplete: unterminatedIsComplete)
        } catch {
            throw ReadError(file: file, line: error.line, reason: .syntax(error.message))
        }
        for record in scanned.records {
            if header == nil {
                try takeHeader(record, into: &builder)
                headerEnd = baseOffset + record.end
            } else {
                try takeRow(record, into: &builder)
            }
        }
        nextLine = scanned.nextLine
        builder.pending = []
        let rest = bytes[scanned.consumed...]
        if !rest.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
            builder.pending = [PendingTail(file: file, offset: baseOffset + scanned.consumed, byteCount: rest.count)]
        }
        return scanned.consumed
    }

    private mutating func takeHeader(_ record: CSVScanner.Record, into builder: inout RunLogBuilder) throws(ReadError) {
        let names = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ name: String) throws(ReadError) -> Int {
            guard let index = names.firstIndex(of: name) else {
                throw ReadError(file: file, line: record.line, reason: .missingColumn(name, available: names))
            }
            return index
        }
        switch flavor {
        case .generic(let options):
            stepIndex = try column(options.stepColumn)
            valueIndices = []
            for name in options.valueColumns { valueIndices.append((name, try column(name))) }
            learningRateIndex = options.learningRateColumn.flatMap { names.firstIndex(of: $0) }
        case .lightning(let options):
            stepIndex = try column(options.stepColumn)
            valueIndices = []
            learningRateIndex = nil
            for (index, name) in names.enumerated() where index != stepIndex && !options.ignoredColumns.contains(name) {
                if learningRateIndex == nil && LightningCSVReader.isLearningRateColumn(name) {
                    learningRateIndex = index
                } else {
                    valueIndices.append((name, index))
                }
            }
        }
        header = names
        for (name, _) in valueIndices { builder.declare(metric: name) }
    }

    private func takeRow(_ record: CSVScanner.Record, into builder: inout RunLogBuilder) throws(ReadError) {
        let header = self.header!
        var fields = record.fields
        while fields.count > header.count, fields.last?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            fields.removeLast()
        }
        guard fields.count == header.count else {
            throw ReadError(file: file, line: record.line, reason: .fieldCount(found: fields.count, expected: header.count))
        }
        let stepName = header[stepIndex]
        let stepCell = fields[stepIndex]
        if stepCell.trimmingCharacters(in: .whitespaces).isEmpty {
            // Lightning writes rows without a step only when nothing else is in them either.
            if case .lightning = flavor,
                fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty })
            {
                return
            }
            throw ReadError(file: file, line: record.line, reason: .emptyStep(column: stepName))
        }
        guard let step = parseNumber(stepCell) else {
            throw ReadError(file: file, line: record.line, reason: .notANumber(column: stepName, cell: stepCell))
        }
        guard step.isFinite else {
            throw ReadError(file: file, line: record.line, reason: .nonFiniteStep(column: stepName, cell: stepCell))
        }
        let location = LogLocation.line(record.line, in: file)
        for (name, index) in valueIndices {
            let cell = fields[index]
            if cell.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let value = parseNumber(cell) else {
                throw ReadError(file: file, line: record.line, reason: .notANumber(column: name, cell: cell))
            }
            builder.add(metric: name, step: step, value: value, at: location)
        }
        if let index = learningRateIndex {
            let cell = fields[index]
            if !cell.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let value = parseNumber(cell) else {
                    throw ReadError(file: file, line: record.line, reason: .notANumber(column: header[index], cell: cell))
                }
                builder.addLearningRate(step: step, value: value, at: location)
            }
        }
    }
}

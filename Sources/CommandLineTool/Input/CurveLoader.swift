import CurveModels
import Foundation
import RunLogs

/// A curve read from a log, checked and ready to fit.
struct LoadedCurve {
    /// The file as the user named it.
    var file: String
    var metric: String
    var direction: Direction
    var scale: CurveData.Scale
    /// Steps, strictly increasing and > 0.
    var steps: [Double]
    /// The metric as logged.
    var values: [Double]
    /// What the model is fitted to: `values` (minimize) or 1 - values (maximize).
    var modeled: [Double]
    /// The learning-rate schedule (declared or logged; see `ScheduleLoader`), if any.
    var schedule: LearningRateSchedule?
    /// Where `schedule` came from ("--schedule", "manifest FILE (id)", "sidecar FILE", "lr column").
    var scheduleSource: String?

    /// A metric value from a value of the modeled curve (the inverse of the maximize transform).
    func metricValue(fromModeled y: Double) -> Double { direction == .maximize ? 1 - y : y }
}

/// Reads and checks the curve of `fit`/`forecast`.
///
/// Rules (on top of the RunLogs reader rules, see `CSVLogReader` and `JSONLLogReader`):
/// - NaN/inf values are dropped with a warning listing the lines (the RunLogs rule), and fitting
///   goes on if enough points remain;
/// - steps must increase strictly (repeated or decreasing steps are an error naming the lines,
///   unless `--resume`, where the later write wins) and be > 0 (curve laws are in t = step / last step);
/// - on the log scale the modeled values must be > 0;
/// - `--direction maximize` needs values in [0, 1] (and < 1 on the log scale, as 1 - value is logged);
/// - at least `minimumPoints` points at or before `--fit-until`;
/// - the learning-rate schedule as `ScheduleLoader` finds it (a `--lr COLUMN` that the log does
///   not have is an error).
enum CurveLoader {
    typealias Failure = CommandLineTool.Failure

    /// Points a curve model needs (`CurveData` refuses fewer).
    static let minimumPoints = 3

    static func load(
        path: String, displayName: String? = nil, options: CurveOptions, context: CommandLineTool.Context,
        warn: (String) -> Void
    ) throws(Failure) -> LoadedCurve {
        let url = context.resolve(path)
        let shown = displayName ?? path
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Failure("\(shown): no such file; check the path")
        }
        guard !ModelDirectories.isDirectory(url) else {
            throw Failure("\(shown): is a directory; give the CSV or JSONL log file inside it")
        }
        let format: InputFormat
        if let chosen = options.inputFormat {
            format = chosen
        } else {
            switch url.pathExtension.lowercased() {
            case "csv", "tsv": format = .csv
            case "jsonl", "ndjson", "json": format = .jsonl
            default:
                throw Failure("\(shown): cannot tell the format from the extension '.\(url.pathExtension)'; pass --input-format csv or --input-format jsonl")
            }
        }
        let mode: ReadMode = options.resume ? .resume : .strict
        let log: RunLog
        let field = format == .csv ? "column" : "key"
        do {
            switch format {
            case .csv:
                let reader = CSVLogReader(options: .init(stepColumn: options.stepColumn, valueColumns: [options.valueColumn],
                                                         learningRateColumn: options.learningRateColumn ?? "lr", mode: mode))
                log = try reader.parse(try readText(url, shown: shown), source: shown)
            case .jsonl:
                let reader = JSONLLogReader(options: .init(stepKey: options.stepColumn, valueKeys: [options.valueColumn],
                                                           learningRateKeys: options.learningRateColumn.map { [$0] } ?? ["lr", "learning_rate"],
                                                           mode: mode))
                log = try reader.parse(try readText(url, shown: shown), source: shown)
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure("\(error)")
        }
        for issue in log.issues { warn(issue.message) }
        for pending in log.pending { warn(pending.description) }
        guard let series = log[metric: options.valueColumn], !series.isEmpty else {
            if format == .jsonl {
                throw Failure("\(shown): no line has a value for key '\(options.valueColumn)'; choose the metric with --y KEY")
            }
            throw Failure("\(shown): \(field) '\(options.valueColumn)' has no values (the file has a header but no usable rows); add data rows")
        }
        if let column = options.learningRateColumn, log.learningRate?.isEmpty ?? true {
            throw Failure("\(shown): \(field) '\(column)' (--lr) has no learning rates; name the learning-rate \(field) with --lr, or drop --lr")
        }
        var options = options
        if !options.directionGiven, let path = options.manifest,
           let entry = try ScheduleLoader.manifest(path, context: context).entry(for: url),
           let direction = entry.direction.flatMap(Direction.init(rawValue:)) {
            options.direction = direction
        }
        let found = try ScheduleLoader.find(url: url, shown: shown, options: options, log: log, context: context, warn: warn)
        let maximize = options.direction == .maximize
        do {
            try series.validateForFitting(minPoints: 1, requirePositive: false)
        } catch {
            // Too few points gets the command line's own message below (it knows --fit-until).
            if case .tooFewPoints = error.reason {} else { throw Failure(error.description) }
        }
        for point in series.points where !(point.step > 0) {
            throw Failure("\(point.location): \(field) '\(options.stepColumn)': step \(NumberFormat.step(point.step)) is not positive; curve laws need steps > 0 (shift the steps, e.g. log step + 1)")
        }
        for point in series.points {
            let v = point.value
            if maximize {
                guard v >= 0, v <= 1 else {
                    throw Failure("\(point.location): \(field) '\(options.valueColumn)': value \(v) is outside [0, 1]; --direction maximize fits 1 - value and needs a metric in [0, 1] (accuracy, a rate); pass a transformed column that falls instead (e.g. 100 - accuracy%) with --direction minimize")
                }
                if options.scale == .log, !(v < 1) {
                    throw Failure("\(point.location): \(field) '\(options.valueColumn)': value \(v) gives 1 - value = 0, but --scale log (the default) fits log(1 - value); pass --scale linear")
                }
            } else if options.scale == .log, !(v > 0) {
                throw Failure("\(point.location): \(field) '\(options.valueColumn)': value \(v) is not positive, but --scale log (the default) fits log values; fix or delete the row, or pass --scale linear")
            }
        }
        let fitted = options.fitUntil.map { cut in series.points.filter { $0.step <= cut }.count } ?? series.count
        if fitted < minimumPoints {
            let total = "\(series.count) point\(series.count == 1 ? "" : "s")"
            if let cut = options.fitUntil, fitted < series.count {
                throw Failure("\(shown): \(field) '\(options.valueColumn)': \(fitted) of \(total) at or before --fit-until \(NumberFormat.step(cut)); a curve model needs at least \(minimumPoints); raise --fit-until")
            }
            throw Failure("\(shown): \(field) '\(options.valueColumn)': only \(total); a curve model needs at least \(minimumPoints); log more points first")
        }
        let values = series.values
        return LoadedCurve(file: shown, metric: options.valueColumn, direction: options.direction, scale: options.scale,
                           steps: series.steps, values: values,
                           modeled: maximize ? values.map { 1 - $0 } : values,
                           schedule: found?.schedule, scheduleSource: found?.source)
    }

    private static func readText(_ url: URL, shown: String) throws(Failure) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw Failure("\(shown): cannot read the file (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure("\(shown): not UTF-8 text; save the log as UTF-8 CSV or JSONL")
        }
        return text
    }
}

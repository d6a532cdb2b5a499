import Autodiff

/// Compiles a model's mean expression onto a tape: parameters and covariates become tape
/// values, operators and functions become tape operations (`t ^ (-alpha)` with data t becomes
/// the fused exp(-alpha log t) kernel through `TapeRecorder.power`).
struct ModelCompiler {
    enum CompileError: Error, CustomStringConvertible {
        case needsSchedule(String, file: String)
        case unknown(String, file: String)
        var description: String {
            switch self {
            case .needsSchedule(let what, let file):
                return "\(file): the mean uses \(what), which needs a learning-rate schedule; pass --schedule or a log with an lr column"
            case .unknown(let name, let file): return "\(file): '\(name)' is not defined"
            }
        }
    }

    let recorder: TapeRecorder
    let parameters: [String: Variable]
    let covariates: [Covariate: Variable]
    let definitions: [String: ModelExpression]
    let file: String
    /// The schedule at the evaluation points, when there is one: `lr` and `lr_area` become its
    /// precomputed vectors, `anneal_area` and `lr_decay_sum` its custom operations.
    let schedule: ScheduleCovariates?
    var cache: [String: Variable] = [:]

    init(recorder: TapeRecorder, parameters: [String: Variable], covariates: [Covariate: Variable],
         model: ModelDefinition, schedule: ScheduleCovariates? = nil) {
        self.recorder = recorder
        self.parameters = parameters
        var covariates = covariates
        if let schedule {
            if covariates[.lr] == nil, model.covariates.contains(.lr) {
                covariates[.lr] = recorder.vector(schedule.learningRate)
            }
            if covariates[.lrArea] == nil, model.covariates.contains(.lrArea) {
                covariates[.lrArea] = recorder.vector(schedule.learningRateArea)
            }
        }
        self.covariates = covariates
        self.schedule = schedule
        self.definitions = Dictionary(uniqueKeysWithValues: model.derived.map { ($0.name, $0.expression) })
        self.file = model.fileName
    }

    mutating func compile(_ e: ModelExpression) throws(CompileError) -> Variable {
        let r = recorder
        switch e {
        case .constant(let c): return r.constant(c)
        case .parameter(let name):
            guard let v = parameters[name] else { throw .unknown(name, file: file) }
            return v
        case .derived(let name):
            if let v = cache[name] { return v }
            guard let definition = definitions[name] else { throw .unknown(name, file: file) }
            let v = try compile(definition)
            cache[name] = v
            return v
        case .covariate(let c):
            guard let v = covariates[c] else { throw .needsSchedule("'\(c.rawValue)'", file: file) }
            return v
        case .negate(let a): return r.negate(try compile(a))
        case .binary(let op, let a, let b):
            let x = try compile(a), y = try compile(b)
            switch op {
            case .add: return r.add(x, y)
            case .subtract: return r.subtract(x, y)
            case .multiply: return r.multiply(x, y)
            case .divide: return r.divide(x, y)
            case .power: return r.power(x, y)
            }
        case .function(let f, let a):
            let x = try compile(a)
            switch f {
            case .exp: return r.exp(x)
            case .log: return r.log(x)
            case .log1p: return r.log1p(x)
            case .sqrt: return r.sqrt(x)
            case .softplus: return r.softplus(x)
            }
        case .annealArea(let lambda):
            guard let schedule else { throw .needsSchedule("anneal_area", file: file) }
            return r.custom(schedule.annealAreaOperation(), inputs: [try compile(lambda)])
        case .lrDecaySum(let c, let beta, let gamma):
            guard let schedule else { throw .needsSchedule("lr_decay_sum", file: file) }
            return r.custom(schedule.lrDecaySumOperation(),
                            inputs: [try compile(c), try compile(beta), try compile(gamma)])
        }
    }
}

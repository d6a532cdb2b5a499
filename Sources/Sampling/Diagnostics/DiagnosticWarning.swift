/// A problem with a run, stated in words by `message`.
public enum DiagnosticWarning: Sendable, Equatable, CustomStringConvertible {
    case divergences(count: Int, transitions: Int)
    case treeDepthSaturated(count: Int, transitions: Int, maximumDepth: Int)
    /// `chain` counts from 1.
    case lowEBFMI(chain: Int, value: Double)
    case highRHat(parameter: String, value: Double)
    case lowBulkESS(parameter: String, value: Double, minimum: Double)
    case lowTailESS(parameter: String, value: Double, minimum: Double)
    /// A non-finite or constant parameter, or too few draws: R-hat and ESS are NaN.
    case undefinedDiagnostics(parameter: String)

    public var description: String { message }

    public var message: String {
        switch self {
        case let .divergences(count, transitions):
            return "\(count) of \(transitions) transitions diverged; the posterior may be biased, "
                + "try a higher target acceptance rate or reparameterize"
        case let .treeDepthSaturated(count, transitions, depth):
            return "\(count) of \(transitions) transitions hit the maximum tree depth \(depth); "
                + "the sampler is inefficient, not necessarily biased"
        case let .lowEBFMI(chain, value):
            return "E-BFMI \(SummaryFormat.fixed(value, digits: 3)) < \(ConvergenceThresholds.minimumEBFMI) "
                + "in chain \(chain): the sampler may not explore the tails; consider reparameterizing"
        case let .highRHat(parameter, value):
            // 3 decimals, or 4 when 3 would print the threshold itself (1.0104 -> "1.0104").
            var shown = SummaryFormat.fixed(value, digits: 3)
            if (Double(shown) ?? value) <= ConvergenceThresholds.maximumRHat { shown = SummaryFormat.fixed(value, digits: 4) }
            return "R-hat \(shown) > \(ConvergenceThresholds.maximumRHat) for \(parameter): "
                + "the chains have not mixed"
        case let .lowBulkESS(parameter, value, minimum):
            return "bulk ESS \(SummaryFormat.fixed(value, digits: 0)) < \(SummaryFormat.fixed(minimum, digits: 0)) "
                + "for \(parameter): posterior means and medians may be unreliable"
        case let .lowTailESS(parameter, value, minimum):
            return "tail ESS \(SummaryFormat.fixed(value, digits: 0)) < \(SummaryFormat.fixed(minimum, digits: 0)) "
                + "for \(parameter): posterior intervals may be unreliable"
        case let .undefinedDiagnostics(parameter):
            return "R-hat and ESS are undefined for \(parameter) "
                + "(a non-finite draw, all draws equal, or fewer than 4 draws per half-chain)"
        }
    }
}

/// The model language, priors, noise models and schedules; compiles a model into an Autodiff tape and exposes the posterior as a LogDensity (issue 4).
///
/// Not implemented yet: this module exists so that the package layout matches DESIGN.md.
public enum CurveModelsModule {}

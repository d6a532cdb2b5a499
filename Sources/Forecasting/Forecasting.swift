/// Posterior predictive forecasts, quantile bands, model averaging and scoring (issue 4).
///
/// Not implemented yet: this module exists so that the package layout matches DESIGN.md.
public enum ForecastingModule {}

/// SVG and HTML rendering of banded forecasts (issue 8).
///
/// Not implemented yet: this module exists so that the package layout matches DESIGN.md.
public enum ReportingModule {}

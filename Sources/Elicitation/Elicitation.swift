/// Prior elicitation by quantile matching (issue 9).
///
/// Not implemented yet: this module exists so that the package layout matches DESIGN.md.
public enum ElicitationModule {}

/// Decision rules over posterior predictive draws and the replay simulator (issue 7).
///
/// Not implemented yet: this module exists so that the package layout matches DESIGN.md.
public enum EarlyStoppingModule {}

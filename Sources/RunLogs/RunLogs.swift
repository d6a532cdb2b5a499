/// Readers for training-run metric logs: CSV, JSONL, trainer_state.json, Lightning metrics.csv, TensorBoard (issue 6).
///
/// Not implemented yet: this module exists so that the package layout matches DESIGN.md.
public enum RunLogsModule {}

/// The watching daemon: discovery, fit scheduling, state store and HTTP API (issue 6).
///
/// Not implemented yet: this module exists so that the package layout matches DESIGN.md.
public enum DaemonModule {}

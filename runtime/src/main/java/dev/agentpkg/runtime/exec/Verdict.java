package dev.agentpkg.runtime.exec;

/** How the module itself ended, before the runner adds duration and isolation. */
record Verdict(RunStatus status, int exitStatus, String message) {
  static final int DENIED_EXIT = 6;

  static Verdict failed(RunStatus status, String message) {
    return new Verdict(status, status == RunStatus.DENIED ? DENIED_EXIT : 1, message);
  }

  RunOutcome outcome(java.time.Duration duration, boolean networkIsolated) {
    return new RunOutcome(status, exitStatus, duration, message, networkIsolated);
  }
}

package dev.agentpkg.registry.install;

/**
 * Named points inside a transaction where a test can stop the process dead, to prove that {@code
 * doctor} recovers from a crash at each of them. Production code passes {@link #NONE}; only {@code
 * Main} wires a hook that halts the JVM.
 */
@FunctionalInterface
public interface CrashPoints {
  CrashPoints NONE = point -> {};

  String AFTER_STAGING = "after-staging";
  String AFTER_JOURNAL = "after-journal";
  String AFTER_BACKUP = "after-backup";
  String AFTER_FIRST_MOVE = "after-first-move";
  String AFTER_MOVES = "after-moves";
  String BEFORE_REGISTRY = "before-registry";
  String BEFORE_LEDGER = "before-ledger";
  String BEFORE_CLEANUP = "before-cleanup";

  void reached(String point);
}

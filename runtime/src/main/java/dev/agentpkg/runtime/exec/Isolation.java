package dev.agentpkg.runtime.exec;

import dev.agentpkg.core.UsageException;

/** Where a module runs. */
public enum Isolation {
  /** In a child JVM with a clean environment, a heap limit and, where possible, no network. */
  PROCESS("process"),
  /** On a thread of the host JVM: fast, for trusted tiers only. */
  IN_PROCESS("in-process");

  private final String label;

  Isolation(String label) {
    this.label = label;
  }

  /** The spelling used on the command line. */
  public String label() {
    return label;
  }

  /** Parses the {@code --isolation} value: {@code process} or {@code in-process}. */
  public static Isolation parse(String value) {
    for (Isolation isolation : values()) {
      if (isolation.label.equals(value)) {
        return isolation;
      }
    }
    throw new UsageException("--isolation must be 'process' or 'in-process', not '" + value + "'");
  }
}

package dev.agentpkg.core;

/** The process exit codes of SPEC section 3, the same for every command. */
public enum ExitCode {
  OK(0),
  FAILED(1),
  USAGE(2),
  INTEGRITY(3),
  NOT_FOUND(4),
  CONFLICT(5),
  DENIED(6),
  IO(7),
  INTERNAL(70);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}

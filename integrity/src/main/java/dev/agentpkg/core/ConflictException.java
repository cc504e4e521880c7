package dev.agentpkg.core;

/** The root's state forbids the operation: lock held, dependents, ownership (exit 5). */
public class ConflictException extends AgentpkgException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.CONFLICT;
  }
}

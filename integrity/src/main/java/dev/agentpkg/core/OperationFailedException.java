package dev.agentpkg.core;

/** The operation failed for a reason no more specific exception names (exit 1). */
public class OperationFailedException extends AgentpkgException {
  private static final long serialVersionUID = 1L;

  public OperationFailedException(String message) {
    super(message);
  }

  public OperationFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.FAILED;
  }
}

package dev.agentpkg.core;

/** Bad flag, malformed id, manifest or other invalid input (exit 2). */
public class UsageException extends AgentpkgException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.USAGE;
  }
}

package dev.agentpkg.core;

/**
 * Base of every failure a user can see. Library code throws a subclass; the CLI maps it to {@link
 * #exitCode()} in one place and prints {@link #getMessage()} as a one-line error.
 */
public abstract class AgentpkgException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected AgentpkgException(String message) {
    super(message);
  }

  protected AgentpkgException(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract ExitCode exitCode();
}

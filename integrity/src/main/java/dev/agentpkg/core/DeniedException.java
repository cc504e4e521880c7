package dev.agentpkg.core;

/** Missing, wrong-role, expired or revoked token; untrusted key; tier rule (exit 6). */
public class DeniedException extends AgentpkgException {
  private static final long serialVersionUID = 1L;

  public DeniedException(String message) {
    super(message);
  }

  public DeniedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.DENIED;
  }
}

package dev.agentpkg.core;

/** Bad signature, digest mismatch, unsafe archive entry, broken ledger (exit 3). */
public class VerificationException extends AgentpkgException {
  private static final long serialVersionUID = 1L;

  public VerificationException(String message) {
    super(message);
  }

  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.INTEGRITY;
  }
}

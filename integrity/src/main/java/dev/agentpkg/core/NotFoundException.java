package dev.agentpkg.core;

/** A package, version, file, key, token or root does not exist (exit 4). */
public class NotFoundException extends AgentpkgException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }

  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.NOT_FOUND;
  }
}

package dev.agentpkg.core;

/** Reading or writing the file system failed (exit 7). */
public class StorageException extends AgentpkgException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.IO;
  }
}

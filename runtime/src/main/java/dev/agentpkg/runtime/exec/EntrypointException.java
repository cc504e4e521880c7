package dev.agentpkg.runtime.exec;

/** The module could not be loaded or instantiated; the message is shown as it is. */
final class EntrypointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  EntrypointException(String message) {
    super(message);
  }
}

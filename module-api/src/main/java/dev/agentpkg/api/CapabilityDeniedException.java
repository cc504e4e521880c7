package dev.agentpkg.api;

/** Thrown into the module when it asks for an operation its capabilities do not grant. */
public class CapabilityDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final String path;

  public CapabilityDeniedException(String operation, String path, String reason) {
    super(operation + " " + path + " denied: " + reason);
    this.operation = operation;
    this.path = path;
  }

  public String operation() {
    return operation;
  }

  public String path() {
    return path;
  }
}

package dev.agentpkg.runtime.exec;

/** How a module run ended. */
public enum RunStatus {
  /** The module returned; its return value is the exit status. */
  COMPLETED,
  /** The module threw, or its entrypoint could not be instantiated. */
  FAILED,
  /** The module ended by an uncaught {@link dev.agentpkg.api.CapabilityDeniedException}. */
  DENIED,
  TIMED_OUT,
  OUT_OF_MEMORY,
  /** The child JVM died without reporting a result. */
  CRASHED
}

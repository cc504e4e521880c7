package dev.agentpkg.runtime.exec;

import java.time.Duration;
import java.util.Objects;

/**
 * The result of a run.
 *
 * @param exitStatus the module's return value when {@link RunStatus#COMPLETED}; 6 for {@link
 *     RunStatus#DENIED}; 1 otherwise
 * @param message one line for people, e.g. {@code module threw java.lang.IllegalStateException:
 *     boom}
 * @param networkIsolated whether the module ran without network access
 */
public record RunOutcome(
    RunStatus status, int exitStatus, Duration duration, String message, boolean networkIsolated) {
  public RunOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(message, "message");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    // exception messages may span lines; the outcome is printed as one
    message = message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}

package dev.agentpkg.registry.governance;

import dev.agentpkg.registry.Role;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One mutating command: what it is called (for the lock holder line and errors), the token it
 * presents, the role it needs and how long it may wait for the root lock.
 */
public record MutationRequest(
    String command,
    Optional<String> tokenText,
    Role required,
    String action,
    Duration lockTimeout) {
  public MutationRequest {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(tokenText, "tokenText");
    Objects.requireNonNull(required, "required");
    Objects.requireNonNull(action, "action");
    if (lockTimeout.isNegative()) {
      throw new IllegalArgumentException("lock timeout must not be negative");
    }
  }
}

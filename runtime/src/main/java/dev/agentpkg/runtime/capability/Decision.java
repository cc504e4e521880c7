package dev.agentpkg.runtime.capability;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one check and the rule that gave it, e.g. {@code read: ledger/*.jsonl} or {@code
 * forbidden: registries/**}.
 *
 * @param normalized the root-relative path after normalisation ("" when it could not be normalised
 *     or is the root itself)
 * @param target the real path to operate on; present exactly when allowed
 */
public record Decision(
    boolean allowed,
    Operation operation,
    String requested,
    String normalized,
    String rule,
    Optional<Path> target) {
  public Decision {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(normalized, "normalized");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(target, "target");
    if (allowed != target.isPresent()) {
      throw new IllegalArgumentException("an allowed decision carries its target, a denial none");
    }
  }

  static Decision deny(Operation op, String requested, String normalized, String rule) {
    return new Decision(false, op, requested, normalized, rule, Optional.empty());
  }
}

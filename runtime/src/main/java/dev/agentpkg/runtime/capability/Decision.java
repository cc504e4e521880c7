package dev.agentpkg.runtime.capability;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one {@link CapabilityEnforcer#check} call.
 *
 * @param allowed whether the operation may proceed
 * @param operation the operation asked for
 * @param requested the path as the module gave it ({@code ""} for a null path)
 * @param normalized the root-relative path the rules were matched on, {@code ""} for the root
 *     itself or when the request could not be normalised
 * @param rule the rule that decided, e.g. {@code "read: ledger/*.jsonl"} or {@code "forbidden:
 *     secrets/**"}; the text of a denial in the ledger and in the module's exception
 * @param target the resolved real path to operate on; present exactly when allowed
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
    requested = requested == null ? "" : requested;
    Objects.requireNonNull(normalized, "normalized");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(target, "target");
    if (allowed != target.isPresent()) {
      throw new IllegalArgumentException(
          "a decision has a target exactly when it allows (allowed=" + allowed + ")");
    }
  }

  static Decision allow(
      Operation operation, String requested, String normalized, String rule, Path target) {
    return new Decision(true, operation, requested, normalized, rule, Optional.of(target));
  }

  static Decision deny(Operation operation, String requested, String normalized, String rule) {
    return new Decision(false, operation, requested, normalized, rule, Optional.empty());
  }
}

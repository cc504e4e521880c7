package dev.agentpkg.registry.audit;

import java.util.Objects;

/**
 * One integrity finding (SPEC section 5). {@code path} and {@code pkg} are null where they do not
 * apply; {@code expected}/{@code actual} carry what the records say and what was found.
 */
public record Finding(
    String kind, String path, String pkg, String expected, String actual, String message) {
  public static final String MODIFIED = "MODIFIED";
  public static final String MISSING = "MISSING";
  public static final String MODE_CHANGED = "MODE_CHANGED";
  public static final String ORPHAN = "ORPHAN";
  public static final String REGISTRY_INCONSISTENT = "REGISTRY_INCONSISTENT";
  public static final String UNSATISFIED_DEPENDENCY = "UNSATISFIED_DEPENDENCY";
  public static final String TIER_VIOLATION = "TIER_VIOLATION";
  public static final String UNTRUSTED_SIGNER = "UNTRUSTED_SIGNER";
  public static final String STORE_MISMATCH = "STORE_MISMATCH";
  public static final String LEDGER_BROKEN = "LEDGER_BROKEN";
  public static final String LEDGER_TRUNCATED = "LEDGER_TRUNCATED";
  public static final String LEDGER_DISAGREES = "LEDGER_DISAGREES";
  public static final String PENDING_TRANSACTION = "PENDING_TRANSACTION";

  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  static Finding ofPath(
      String kind, String pkg, String path, String expected, String actual, String message) {
    return new Finding(kind, path, pkg, expected, actual, message);
  }

  static Finding ofPackage(
      String kind, String pkg, String expected, String actual, String message) {
    return new Finding(kind, null, pkg, expected, actual, message);
  }
}

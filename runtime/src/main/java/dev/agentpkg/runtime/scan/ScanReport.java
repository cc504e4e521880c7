package dev.agentpkg.runtime.scan;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of one scan.
 *
 * @param jars how many jars were scanned (own jars only)
 * @param classes how many class entries were checked
 * @param violations the first violations in {@link Violation} order, capped at {@link
 *     BytecodeScanner#REPORTED_VIOLATIONS}
 * @param policySha256 {@link ScanPolicy#sha256()} of the policy applied, so the verdict can be
 *     recorded with the exact rules behind it
 * @param violationCount how many violations there were in all, including those not listed
 */
public record ScanReport(
    int jars, int classes, List<Violation> violations, String policySha256, int violationCount) {
  public ScanReport {
    violations = List.copyOf(violations);
    Objects.requireNonNull(policySha256, "policySha256");
    if (jars < 0 || classes < 0) {
      throw new IllegalArgumentException("negative jar or class count");
    }
    if (violationCount < violations.size()) {
      throw new IllegalArgumentException(
          "violation count " + violationCount + " is below the " + violations.size() + " listed");
    }
  }

  /** A report whose list holds every violation. */
  public ScanReport(int jars, int classes, List<Violation> violations, String policySha256) {
    this(jars, classes, violations, policySha256, violations.size());
  }

  public boolean allowed() {
    return violationCount == 0;
  }
}

package dev.agentpkg.integrity.ledger;

import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of verifying a ledger: how many entries verified before any problem, the head of the
 * verified part (null when none verified), the head the registry recorded (if given) and how the
 * two relate, and the first problem if any.
 */
public record LedgerReport(
    long entries,
    LedgerHead head,
    Optional<LedgerHead> recordedHead,
    HeadCheck headCheck,
    Optional<LedgerProblem> problem) {
  public LedgerReport {
    Objects.requireNonNull(recordedHead, "recordedHead");
    Objects.requireNonNull(headCheck, "headCheck");
    Objects.requireNonNull(problem, "problem");
    if (recordedHead.isEmpty() != (headCheck == HeadCheck.NOT_RECORDED)) {
      throw new IllegalArgumentException(
          "head check " + headCheck + " does not fit recorded head " + recordedHead);
    }
  }

  public boolean ok() {
    return problem.isEmpty();
  }
}

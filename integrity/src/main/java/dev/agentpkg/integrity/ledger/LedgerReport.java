package dev.agentpkg.integrity.ledger;

import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of verifying a ledger: how many entries verified before any problem, the head of the
 * verified part (null when none verified), and the first problem if any.
 */
public record LedgerReport(long entries, LedgerHead head, Optional<LedgerProblem> problem) {
  public LedgerReport {
    Objects.requireNonNull(problem, "problem");
  }

  public boolean ok() {
    return problem.isEmpty();
  }
}

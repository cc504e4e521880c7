package dev.agentpkg.cli.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.ledger.LedgerPackage;
import dev.agentpkg.registry.Actor;
import dev.agentpkg.registry.governance.Governance;
import java.time.Duration;
import java.util.Optional;

/**
 * Ledger events of one run after it started. A run does not hold the root lock while the module
 * works (an agent may run for hours); each event takes the lock just long enough to append.
 */
final class RunEvents {
  private final Governance governance;
  private final Actor actor;
  private final LedgerPackage pkg;
  private final String runId;
  private final Duration lockTimeout;

  RunEvents(
      Governance governance, Actor actor, LedgerPackage pkg, String runId, Duration lockTimeout) {
    this.governance = governance;
    this.actor = actor;
    this.pkg = pkg;
    this.runId = runId;
    this.lockTimeout = lockTimeout;
  }

  String runId() {
    return runId;
  }

  /** Appends {@code event}; {@code details} gets the run id first. */
  synchronized void record(String event, ObjectNode details) {
    ObjectNode d = details.objectNode();
    d.put("run_id", runId);
    d.setAll(details);
    governance.appendAs(actor, "run " + pkg.id(), lockTimeout, event, Optional.of(pkg), d);
  }
}

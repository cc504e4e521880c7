package dev.agentpkg.registry.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.ledger.LedgerActor;
import dev.agentpkg.integrity.ledger.LedgerEntry;
import dev.agentpkg.integrity.ledger.LedgerFile;
import dev.agentpkg.integrity.ledger.LedgerPackage;
import dev.agentpkg.registry.Actor;
import dev.agentpkg.registry.LedgerHeadStore;
import dev.agentpkg.registry.Root;
import java.util.Optional;

/**
 * What a mutating command holds while it runs: the root lock, an authenticated actor, and the
 * ledger. Every {@link #record} appends one fsync'd ledger entry and then moves the registry's
 * recorded ledger head, so a later truncation of the ledger is detectable.
 */
public final class Session {
  private final Root root;
  private final Optional<Actor> actor;
  private final LedgerFile ledger;
  private final LedgerHeadStore head;

  Session(Root root, Optional<Actor> actor, LedgerFile ledger) {
    this.root = root;
    this.actor = actor;
    this.ledger = ledger;
    this.head = new LedgerHeadStore(root);
  }

  public Root root() {
    return root;
  }

  /** The authenticated actor; empty only for the bootstrap events of {@code init}. */
  public Optional<Actor> actor() {
    return actor;
  }

  public Actor requireActor() {
    return actor.orElseThrow(() -> new IllegalStateException("no authenticated actor"));
  }

  public LedgerEntry record(String event, Optional<LedgerPackage> pkg, ObjectNode details) {
    LedgerActor ledgerActor =
        actor.map(a -> new LedgerActor(a.tokenId(), a.role().label())).orElse(null);
    LedgerEntry entry = ledger.append(event, ledgerActor, pkg.orElse(null), details);
    head.write(new LedgerHeadStore.Head(entry.seq(), entry.hash()));
    return entry;
  }
}

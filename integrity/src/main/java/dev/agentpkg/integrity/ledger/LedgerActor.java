package dev.agentpkg.integrity.ledger;

import dev.agentpkg.core.UsageException;

/** Who caused a ledger event: the token id and its role, never the token's secret. */
public record LedgerActor(String tokenId, String role) {
  public LedgerActor {
    LedgerEntry.requireText(tokenId, "actor.token_id");
    LedgerEntry.requireText(role, "actor.role");
    if (tokenId.startsWith("agp_")) {
      // A full token ("agp_<id>_<secret>") must never be written to the ledger.
      throw new UsageException("ledger actor must be a token id, not a full token");
    }
  }
}

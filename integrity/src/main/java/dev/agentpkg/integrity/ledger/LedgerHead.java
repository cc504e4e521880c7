package dev.agentpkg.integrity.ledger;

import dev.agentpkg.core.UsageException;

/** The last entry of the ledger as the registry recorded it: enough to detect truncation. */
public record LedgerHead(long seq, String hash) {
  public LedgerHead {
    if (seq < 1) {
      throw new UsageException("ledger head seq must be at least 1, got " + seq);
    }
    if (hash == null || !LedgerEntry.HASH.matcher(hash).matches()) {
      throw new UsageException("ledger head hash must be sha256:<64 hex>, got '" + hash + "'");
    }
  }
}

package dev.agentpkg.integrity.ledger;

/** The package a ledger event concerns. */
public record LedgerPackage(String id, String version) {
  public LedgerPackage {
    LedgerEntry.requireText(id, "package.id");
    LedgerEntry.requireText(version, "package.version");
  }
}

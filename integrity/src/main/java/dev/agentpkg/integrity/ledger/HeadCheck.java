package dev.agentpkg.integrity.ledger;

import java.util.Locale;

/**
 * How the verified ledger relates to the head the registry recorded with its last write. Only
 * {@link #MISSING} and {@link #DIFFERS} mean truncation; {@link #UNCHECKED} is reported when the
 * chain is already broken before the recorded entry, so it could not be compared.
 */
public enum HeadCheck {
  /** The recorded head is the ledger's last entry. */
  MATCHES,
  /**
   * The recorded entry is in the chain with the recorded hash and more entries follow it (an append
   * whose registry update did not happen, e.g. a crash between the two).
   */
  LEDGER_AHEAD,
  /** The entry at the recorded seq has another hash: the ledger was cut and rewritten. */
  DIFFERS,
  /** The ledger ends before the recorded seq: entries were removed from the end. */
  MISSING,
  /** The registry recorded no head, so truncation cannot be checked. */
  NOT_RECORDED,
  /** The chain broke at or before the recorded seq. */
  UNCHECKED;

  /** True when the ledger still holds the recorded head unchanged. */
  public boolean agrees() {
    return this == MATCHES || this == LEDGER_AHEAD;
  }

  /** Lower-case, dash-separated, as the CLI prints it (e.g. {@code ledger-ahead}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

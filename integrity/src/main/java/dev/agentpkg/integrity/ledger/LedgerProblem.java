package dev.agentpkg.integrity.ledger;

/**
 * The first thing wrong with a ledger. {@code seq} is the offending entry's own seq when its line
 * parses, otherwise the seq expected at that position; {@code line} is 1-based. {@code kind} is
 * {@link #BROKEN} (the chain itself is wrong) or {@link #TRUNCATED} (the chain is intact but ends
 * before, or diverges from, the head the registry recorded).
 */
public record LedgerProblem(long seq, long line, String kind, String message) {
  public static final String BROKEN = "BROKEN";
  public static final String TRUNCATED = "TRUNCATED";

  public LedgerProblem {
    if (!BROKEN.equals(kind) && !TRUNCATED.equals(kind)) {
      throw new IllegalArgumentException("kind must be BROKEN or TRUNCATED: " + kind);
    }
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("a ledger problem needs a message");
    }
  }
}

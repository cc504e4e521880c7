package dev.agentpkg.integrity.ledger;

import java.util.List;
import java.util.Optional;

/** Verifies a ledger's hash chain, and against the head the registry recorded. */
public final class LedgerVerifier {
  private LedgerVerifier() {}

  /**
   * Verifies the chain line by line: each line parses, seq runs 1, 2, ..., prev is the previous
   * hash, hash recomputes, and ts is ISO-8601 UTC and never goes backwards. Reports the first bad
   * entry. With a recorded head, a ledger shorter than {@code head.seq} or whose entry at {@code
   * head.seq} has another hash is TRUNCATED. A single empty last element (what splitting text that
   * ends in a newline gives) is ignored; any other blank line is BROKEN.
   */
  public static LedgerReport verify(List<String> lines, Optional<LedgerHead> recordedHead) {
    ChainChecker checker = new ChainChecker(recordedHead);
    int n = lines.size();
    if (n > 0 && lines.get(n - 1).isEmpty()) {
      n--;
    }
    for (int i = 0; i < n; i++) {
      if (!checker.accept(lines.get(i))) {
        break;
      }
    }
    return checker.finish();
  }
}

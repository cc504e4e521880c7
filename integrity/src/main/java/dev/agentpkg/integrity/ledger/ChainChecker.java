package dev.agentpkg.integrity.ledger;

import dev.agentpkg.core.AgentpkgException;
import java.time.Instant;
import java.util.Optional;

/**
 * Checks a ledger one line at a time in constant memory, so a long ledger can be streamed from
 * disk. Stops at the first problem.
 */
final class ChainChecker {
  private final Optional<LedgerHead> recordedHead;
  private long lineNo;
  private long entries;
  private LedgerEntry last;
  private Instant lastTs;
  private String hashAtRecordedSeq;
  private LedgerProblem problem;

  ChainChecker(Optional<LedgerHead> recordedHead) {
    this.recordedHead = recordedHead;
  }

  /** Feeds the next line; returns false once a problem was found (further lines are ignored). */
  boolean accept(String line) {
    if (problem != null) {
      return false;
    }
    lineNo++;
    long expected = entries + 1;
    if (line.isBlank()) {
      return broken(expected, "line " + lineNo + " is blank (entry " + expected + " expected)");
    }
    LedgerEntry e;
    try {
      e = LedgerEntry.parse(line);
    } catch (AgentpkgException ex) {
      return broken(expected, "line " + lineNo + " is not a valid entry: " + ex.getMessage());
    }
    if (e.seq() != expected) {
      return broken(
          e.seq(),
          "line "
              + lineNo
              + " has seq "
              + e.seq()
              + " where "
              + expected
              + " was expected (entry deleted, inserted or reordered)");
    }
    String wantPrev = last == null ? LedgerEntry.GENESIS_PREV : last.hash();
    if (!e.prev().equals(wantPrev)) {
      return broken(
          e.seq(),
          "entry "
              + e.seq()
              + " (line "
              + lineNo
              + ") does not chain to the previous entry: prev is "
              + e.prev()
              + ", expected "
              + wantPrev);
    }
    String actual = e.computeHash();
    if (!actual.equals(e.hash())) {
      return broken(
          e.seq(),
          "entry "
              + e.seq()
              + " (line "
              + lineNo
              + ") was modified: its hash is "
              + e.hash()
              + " but its content hashes to "
              + actual);
    }
    Instant ts = e.instant();
    if (lastTs != null && ts.isBefore(lastTs)) {
      return broken(
          e.seq(),
          "entry "
              + e.seq()
              + " (line "
              + lineNo
              + ") has ts "
              + e.ts()
              + ", earlier than the previous entry's "
              + last.ts());
    }
    if (recordedHead.isPresent() && recordedHead.get().seq() == e.seq()) {
      hashAtRecordedSeq = e.hash();
    }
    last = e;
    lastTs = ts;
    entries++;
    return true;
  }

  LedgerReport finish() {
    if (problem == null && recordedHead.isPresent()) {
      LedgerHead want = recordedHead.get();
      if (entries < want.seq()) {
        problem =
            new LedgerProblem(
                want.seq(),
                lineNo + 1,
                LedgerProblem.TRUNCATED,
                "ledger ends at entry "
                    + entries
                    + " but the registry recorded entry "
                    + want.seq()
                    + " as its head: entries were removed from the end");
      } else if (!want.hash().equals(hashAtRecordedSeq)) {
        problem =
            new LedgerProblem(
                want.seq(),
                want.seq(),
                LedgerProblem.TRUNCATED,
                "entry "
                    + want.seq()
                    + " has hash "
                    + hashAtRecordedSeq
                    + " but the registry recorded "
                    + want.hash()
                    + ": the ledger was cut and rewritten");
      }
    }
    return new LedgerReport(
        entries,
        last == null ? null : last.head(),
        recordedHead,
        headCheck(),
        Optional.ofNullable(problem));
  }

  private HeadCheck headCheck() {
    if (recordedHead.isEmpty()) {
      return HeadCheck.NOT_RECORDED;
    }
    LedgerHead want = recordedHead.get();
    if (hashAtRecordedSeq != null) {
      if (!hashAtRecordedSeq.equals(want.hash())) {
        return HeadCheck.DIFFERS;
      }
      return last.seq() == want.seq() ? HeadCheck.MATCHES : HeadCheck.LEDGER_AHEAD;
    }
    // The recorded entry was never verified: either the file ends before it, or the chain broke
    // at or before it (then a BROKEN problem was recorded while reading).
    return problem != null && LedgerProblem.BROKEN.equals(problem.kind())
        ? HeadCheck.UNCHECKED
        : HeadCheck.MISSING;
  }

  private boolean broken(long seq, String message) {
    problem = new LedgerProblem(seq, lineNo, LedgerProblem.BROKEN, message);
    return false;
  }
}

package dev.agentpkg.integrity.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LedgerVerifierTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private static final LedgerActor ACTOR = new LedgerActor("tok1", "maintainer");

  private final List<LedgerEntry> entries = chain(5);
  private final List<String> lines = lines(entries);

  static List<LedgerEntry> chain(int n) {
    List<LedgerEntry> out = new ArrayList<>();
    LedgerEntry prev = null;
    for (int i = 1; i <= n; i++) {
      prev =
          LedgerEntry.next(
              prev,
              T0.plusSeconds(i),
              i == 1 ? "INIT" : "INSTALLED",
              i == 1 ? null : ACTOR,
              i == 1 ? null : new LedgerPackage("PKG-T1-P" + i + "-001", "1.0." + i),
              Json.object().put("step", i));
      out.add(prev);
    }
    return out;
  }

  static List<String> lines(List<LedgerEntry> entries) {
    List<String> out = new ArrayList<>();
    for (LedgerEntry e : entries) {
      out.add(e.toJsonLine());
    }
    return out;
  }

  private static LedgerEntry withHashRecomputed(LedgerEntry e) {
    return new LedgerEntry(
        e.seq(), e.ts(), e.event(), e.actor(), e.pkg(), e.details(), e.prev(), e.computeHash());
  }

  private static LedgerProblem problem(List<String> lines, Optional<LedgerHead> head) {
    LedgerReport r = LedgerVerifier.verify(lines, head);
    assertThat(r.ok()).isFalse();
    return r.problem().orElseThrow();
  }

  private static LedgerProblem problem(List<String> lines) {
    return problem(lines, Optional.empty());
  }

  @Test
  void untouchedChainPasses() {
    LedgerReport r = LedgerVerifier.verify(lines, Optional.of(entries.get(4).head()));

    assertThat(r.ok()).isTrue();
    assertThat(r.entries()).isEqualTo(5);
    assertThat(r.head()).isEqualTo(new LedgerHead(5, entries.get(4).hash()));
    assertThat(r.problem()).isEmpty();
  }

  @Test
  void trailingEmptyLineIsFine() {
    List<String> withNewline = new ArrayList<>(lines);
    withNewline.add("");
    assertThat(LedgerVerifier.verify(withNewline, Optional.empty()).ok()).isTrue();
  }

  @Test
  void emptyLedgerPassesWithoutHead() {
    LedgerReport r = LedgerVerifier.verify(List.of(), Optional.empty());
    assertThat(r.ok()).isTrue();
    assertThat(r.entries()).isZero();
    assertThat(r.head()).isNull();
  }

  @Test
  void editedDetailsBreakTheHash() {
    lines.set(2, lines.get(2).replace("\"step\":3", "\"step\":30"));

    LedgerProblem p = problem(lines);
    assertThat(p.kind()).isEqualTo(LedgerProblem.BROKEN);
    assertThat(p.seq()).isEqualTo(3);
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.message()).contains("entry 3").contains("modified");
    assertThat(LedgerVerifier.verify(lines, Optional.empty()).entries()).isEqualTo(2);
  }

  @Test
  void deletedMiddleEntryIsCaught() {
    lines.remove(2);

    LedgerProblem p = problem(lines);
    assertThat(p.kind()).isEqualTo(LedgerProblem.BROKEN);
    assertThat(p.seq()).isEqualTo(4);
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.message()).contains("seq 4").contains("3 was expected");
  }

  @Test
  void swappedEntriesAreCaught() {
    Collections.swap(lines, 2, 3);

    LedgerProblem p = problem(lines);
    assertThat(p.kind()).isEqualTo(LedgerProblem.BROKEN);
    assertThat(p.seq()).isEqualTo(4);
    assertThat(p.line()).isEqualTo(3);
  }

  @Test
  void entryAppendedOutOfChainIsCaught() {
    // A well-formed entry 6 whose prev points at a forged predecessor, not at entry 5.
    LedgerEntry real5 = entries.get(4);
    LedgerEntry forged5 =
        new LedgerEntry(
            5,
            real5.ts(),
            "INIT",
            null,
            null,
            Json.object(),
            real5.prev(),
            "sha256:" + "ab".repeat(32));
    LedgerEntry six = LedgerEntry.next(forged5, T0.plusSeconds(60), "INSTALLED", ACTOR, null, null);
    assertThat(six.computeHash()).isEqualTo(six.hash());
    lines.add(six.toJsonLine());

    LedgerProblem p = problem(lines);
    assertThat(p.kind()).isEqualTo(LedgerProblem.BROKEN);
    assertThat(p.seq()).isEqualTo(6);
    assertThat(p.line()).isEqualTo(6);
    assertThat(p.message()).contains("does not chain");
  }

  @Test
  void rehashedEditedEntryBreaksTheNextEntrysPrev() {
    LedgerEntry e3 = entries.get(2);
    ObjectNode forged = e3.details().put("step", 300);
    LedgerEntry edited =
        withHashRecomputed(
            new LedgerEntry(
                e3.seq(), e3.ts(), e3.event(), e3.actor(), e3.pkg(), forged, e3.prev(), e3.hash()));
    assertThat(edited.hash()).isNotEqualTo(e3.hash());
    lines.set(2, edited.toJsonLine());

    LedgerProblem p = problem(lines);
    assertThat(p.kind()).isEqualTo(LedgerProblem.BROKEN);
    assertThat(p.seq()).isEqualTo(4);
    assertThat(p.line()).isEqualTo(4);
    assertThat(p.message()).contains("does not chain");
  }

  @Test
  void truncatedTailIsDetectedOnlyWithRecordedHead() {
    List<String> cut = lines.subList(0, 3);
    LedgerHead recorded = entries.get(4).head();

    assertThat(LedgerVerifier.verify(cut, Optional.empty()).ok()).isTrue();
    LedgerProblem p = problem(cut, Optional.of(recorded));
    assertThat(p.kind()).isEqualTo(LedgerProblem.TRUNCATED);
    assertThat(p.seq()).isEqualTo(5);
    assertThat(p.message()).contains("ends at entry 3");
    // A head older than the ledger's end is fine: entries were appended since.
    assertThat(LedgerVerifier.verify(lines, Optional.of(entries.get(2).head())).ok()).isTrue();
  }

  @Test
  void cutAndRewrittenLedgerIsDetectedByHeadHash() {
    // Attacker keeps entries 1-3, then writes a different, well-chained 4 and 5.
    List<LedgerEntry> rewritten = new ArrayList<>(entries.subList(0, 3));
    LedgerEntry four =
        LedgerEntry.next(rewritten.get(2), T0.plusSeconds(100), "INIT", null, null, null);
    rewritten.add(four);
    rewritten.add(LedgerEntry.next(four, T0.plusSeconds(101), "INIT", null, null, null));

    LedgerProblem p = problem(lines(rewritten), Optional.of(entries.get(4).head()));
    assertThat(p.kind()).isEqualTo(LedgerProblem.TRUNCATED);
    assertThat(p.seq()).isEqualTo(5);
  }

  @Test
  void emptyLedgerWithRecordedHeadIsTruncated() {
    LedgerProblem p = problem(List.of(), Optional.of(entries.get(0).head()));
    assertThat(p.kind()).isEqualTo(LedgerProblem.TRUNCATED);
    assertThat(p.seq()).isEqualTo(1);
  }

  @Test
  void garbageLineIsBroken() {
    lines.set(2, "{not json");

    LedgerProblem p = problem(lines);
    assertThat(p.kind()).isEqualTo(LedgerProblem.BROKEN);
    assertThat(p.seq()).isEqualTo(3);
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.message()).contains("line 3");
  }

  @Test
  void blankLineInTheMiddleIsBroken() {
    lines.add(2, "");

    LedgerProblem p = problem(lines);
    assertThat(p.kind()).isEqualTo(LedgerProblem.BROKEN);
    assertThat(p.seq()).isEqualTo(3);
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.message()).contains("blank");
  }

  @Test
  void timeGoingBackwardsIsBroken() {
    LedgerEntry e3 = entries.get(2);
    LedgerEntry early =
        withHashRecomputed(
            new LedgerEntry(
                3,
                "2020-01-01T00:00:00Z",
                e3.event(),
                e3.actor(),
                e3.pkg(),
                e3.details(),
                e3.prev(),
                e3.hash()));
    lines.set(2, early.toJsonLine());
    lines.subList(3, lines.size()).clear();

    LedgerProblem p = problem(lines);
    assertThat(p.seq()).isEqualTo(3);
    assertThat(p.message()).contains("earlier");
  }

  @Test
  void firstEntryMustChainToGenesis() {
    // Dropping entry 1 and renumbering is not possible without breaking prev.
    LedgerEntry e2 = entries.get(1);
    LedgerEntry renumbered =
        withHashRecomputed(
            new LedgerEntry(
                1, e2.ts(), e2.event(), e2.actor(), e2.pkg(), e2.details(), e2.prev(), e2.hash()));

    LedgerProblem p = problem(List.of(renumbered.toJsonLine()));
    assertThat(p.seq()).isEqualTo(1);
    assertThat(p.message()).contains("does not chain");
  }

  @Test
  void headCheckSaysHowTheLedgerRelatesToTheRecordedHead() {
    LedgerReport same = LedgerVerifier.verify(lines, Optional.of(entries.get(4).head()));
    assertThat(same.headCheck()).isEqualTo(HeadCheck.MATCHES);
    assertThat(same.headCheck().agrees()).isTrue();
    assertThat(same.recordedHead()).contains(entries.get(4).head());

    LedgerReport ahead = LedgerVerifier.verify(lines, Optional.of(entries.get(2).head()));
    assertThat(ahead.ok()).isTrue();
    assertThat(ahead.headCheck()).isEqualTo(HeadCheck.LEDGER_AHEAD);
    assertThat(ahead.headCheck().agrees()).isTrue();
    assertThat(ahead.headCheck().label()).isEqualTo("ledger-ahead");

    LedgerReport none = LedgerVerifier.verify(lines, Optional.empty());
    assertThat(none.headCheck()).isEqualTo(HeadCheck.NOT_RECORDED);
    assertThat(none.headCheck().agrees()).isFalse();
    assertThat(none.recordedHead()).isEmpty();

    LedgerReport missing =
        LedgerVerifier.verify(lines.subList(0, 3), Optional.of(entries.get(4).head()));
    assertThat(missing.headCheck()).isEqualTo(HeadCheck.MISSING);
    assertThat(missing.head()).isEqualTo(entries.get(2).head());

    LedgerHead otherHash = new LedgerHead(3, entries.get(4).hash());
    LedgerReport differs = LedgerVerifier.verify(lines, Optional.of(otherHash));
    assertThat(differs.headCheck()).isEqualTo(HeadCheck.DIFFERS);
    assertThat(differs.problem().orElseThrow().kind()).isEqualTo(LedgerProblem.TRUNCATED);

    lines.set(1, lines.get(1).replace("\"step\":2", "\"step\":20"));
    LedgerReport unchecked = LedgerVerifier.verify(lines, Optional.of(entries.get(4).head()));
    assertThat(unchecked.headCheck()).isEqualTo(HeadCheck.UNCHECKED);
    assertThat(unchecked.headCheck().agrees()).isFalse();
    assertThat(unchecked.problem().orElseThrow().seq()).isEqualTo(2);
  }
}

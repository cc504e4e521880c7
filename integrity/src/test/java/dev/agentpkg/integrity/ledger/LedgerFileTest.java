package dev.agentpkg.integrity.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerFileTest {
  private static final LedgerActor ADMIN = new LedgerActor("tok1", "admin");

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-02T03:04:05Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private FileSystem fs;
  private Path path;
  private final ManualClock clock = new ManualClock();
  private LedgerFile ledger;

  @BeforeEach
  void setUp() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    path = Files.createDirectories(fs.getPath("/root/ledger")).resolve("governance.jsonl");
    ledger = new LedgerFile(path, clock);
  }

  @AfterEach
  void tearDown() throws IOException {
    fs.close();
  }

  private LedgerEntry append(String event) {
    clock.now = clock.now.plusSeconds(1);
    return ledger.append(event, ADMIN, null, Json.object().put("n", 1));
  }

  @Test
  void firstAppendCreatesTheFile() throws IOException {
    LedgerEntry e = ledger.append("INIT", null, null, null);

    assertThat(e.seq()).isEqualTo(1);
    assertThat(e.prev()).isEqualTo(LedgerEntry.GENESIS_PREV);
    assertThat(e.ts()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(Files.readString(path)).isEqualTo(e.toJsonLine() + "\n");
    assertThat(ledger.last()).contains(e);
    assertThat(ledger.readLines()).containsExactly(e.toJsonLine());
  }

  @Test
  void appendsChainAndVerify() {
    LedgerEntry a = append("INIT");
    LedgerEntry b =
        ledger.append(
            "INSTALLED", ADMIN, new LedgerPackage("PKG-T1-X-001", "1.0.0"), Json.object());

    assertThat(b.seq()).isEqualTo(2);
    assertThat(b.prev()).isEqualTo(a.hash());
    LedgerReport r = ledger.verify(Optional.of(b.head()));
    assertThat(r.ok()).isTrue();
    assertThat(r.entries()).isEqualTo(2);
    assertThat(r.head()).isEqualTo(b.head());
  }

  @Test
  void moreThanAThousandAppendsKeepTheChainValid() {
    LedgerEntry last = null;
    for (int i = 0; i < 1200; i++) {
      last = append(i == 0 ? "INIT" : "RUN_STARTED");
    }

    LedgerReport r = ledger.verify(Optional.of(last.head()));
    assertThat(r.ok()).isTrue();
    assertThat(r.entries()).isEqualTo(1200);
    assertThat(ledger.last()).contains(last);
    assertThat(LedgerVerifier.verify(ledger.readLines(), Optional.of(last.head())).ok()).isTrue();
  }

  @Test
  void appendReadsOnlyTheTailOfALongHistory() throws IOException {
    // 20,000 entries (~6 MB) behind a first line that is garbage: append succeeds, which it could
    // not if it parsed anything but the last line.
    List<LedgerEntry> history = LedgerVerifierTest.chain(20_000);
    try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      w.write("{garbage that append must never read\n");
      for (LedgerEntry e : history.subList(1, history.size())) {
        w.write(e.toJsonLine());
        w.write('\n');
      }
    }
    assertThat(Files.size(path)).isGreaterThan(4_000_000);
    clock.now = Instant.parse("2030-01-01T00:00:00Z");

    LedgerEntry next = ledger.append("RUN_FINISHED", ADMIN, null, null);

    assertThat(next.seq()).isEqualTo(20_001);
    assertThat(next.prev()).isEqualTo(history.get(19_999).hash());
    // ... while a full verify does read everything and finds the damage at line 1.
    LedgerProblem p = ledger.verify(Optional.empty()).problem().orElseThrow();
    assertThat(p.line()).isEqualTo(1);
  }

  @Test
  void longHistoryStillVerifies() throws IOException {
    List<LedgerEntry> history = LedgerVerifierTest.chain(5_000);
    try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      for (LedgerEntry e : history) {
        w.write(e.toJsonLine());
        w.write('\n');
      }
    }
    clock.now = Instant.parse("2030-01-01T00:00:00Z");
    LedgerEntry next = append("RUN_FINISHED");

    assertThat(ledger.verify(Optional.of(next.head())).entries()).isEqualTo(5_001);
  }

  @Test
  void refusesToAppendAfterATornLastLine() throws IOException {
    append("INIT");
    append("RUN_STARTED");
    Files.writeString(path, "{\"seq\":3,\"ts\":", StandardOpenOption.APPEND);
    byte[] before = Files.readAllBytes(path);

    assertThatThrownBy(() -> append("RUN_FINISHED"))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("ledger is broken at its last entry; run agentpkg ledger verify");
    assertThat(Files.readAllBytes(path)).isEqualTo(before);
  }

  @Test
  void refusesToAppendAfterATamperedLastEntry() throws IOException {
    append("INIT");
    append("RUN_STARTED");
    String text = Files.readString(path);
    Files.writeString(
        path, text.replace("\"n\":1}", "\"n\":2}").replaceFirst("\"n\":2}", "\"n\":1}"));
    assertThat(ledger.verify(Optional.empty()).problem().orElseThrow().seq()).isEqualTo(2);

    assertThatThrownBy(() -> append("RUN_FINISHED"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("ledger is broken at its last entry");
  }

  @Test
  void refusesToAppendAfterABlankLastLine() throws IOException {
    append("INIT");
    Files.writeString(path, "\n", StandardOpenOption.APPEND);

    assertThatThrownBy(() -> append("RUN_STARTED")).isInstanceOf(VerificationException.class);
    assertThat(ledger.verify(Optional.empty()).ok()).isFalse();
  }

  @Test
  void lastLineWithoutNewlineGetsOneBeforeTheNextEntry() throws IOException {
    LedgerEntry a = append("INIT");
    Files.writeString(path, a.toJsonLine());

    LedgerEntry b = append("RUN_STARTED");

    assertThat(Files.readString(path)).isEqualTo(a.toJsonLine() + "\n" + b.toJsonLine() + "\n");
    assertThat(ledger.verify(Optional.of(b.head())).ok()).isTrue();
  }

  @Test
  void clockSteppingBackStillGivesAValidChain() {
    append("INIT");
    clock.now = clock.now.minusSeconds(3600);
    LedgerEntry b = ledger.append("RUN_STARTED", ADMIN, null, null);

    assertThat(ledger.verify(Optional.of(b.head())).ok()).isTrue();
  }

  @Test
  void truncationIsDetectedAgainstTheRecordedHead() throws IOException {
    for (int i = 0; i < 5; i++) {
      append("RUN_STARTED");
    }
    LedgerHead head = ledger.last().orElseThrow().head();
    List<String> lines = ledger.readLines();
    Files.writeString(path, String.join("\n", lines.subList(0, 3)) + "\n");

    assertThat(ledger.verify(Optional.empty()).ok()).isTrue();
    LedgerReport r = ledger.verify(Optional.of(head));
    assertThat(r.problem().orElseThrow().kind()).isEqualTo(LedgerProblem.TRUNCATED);
    assertThat(r.problem().orElseThrow().seq()).isEqualTo(5);
  }

  @Test
  void absentLedger() {
    assertThat(ledger.last()).isEmpty();
    assertThatThrownBy(() -> ledger.readLines())
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("governance.jsonl");
    assertThatThrownBy(() -> ledger.verify(Optional.empty())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void invalidUtf8IsReportedAsBrokenEntry() throws IOException {
    append("INIT");
    LedgerEntry b = append("RUN_STARTED");
    byte[] bytes = Files.readAllBytes(path);
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.indexOf("tok1", text.indexOf('\n'));
    bytes[at] = (byte) 0xff;
    Files.write(path, bytes);

    LedgerProblem p = ledger.verify(Optional.of(b.head())).problem().orElseThrow();
    assertThat(p.kind()).isEqualTo(LedgerProblem.BROKEN);
    assertThat(p.line()).isEqualTo(2);
  }
}

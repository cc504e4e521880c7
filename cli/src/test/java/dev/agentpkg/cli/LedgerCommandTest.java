package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ledger show --since/--jsonl/--tail} and {@code ledger verify}'s head report, in-process on
 * Jimfs with a clock the test moves, so every entry's ts is known to the millisecond.
 */
class LedgerCommandTest {
  static final String J = "PKG-T2-J-001";
  static final String K = "PKG-T2-K-001";

  JimfsCli cli;
  String admin;
  Path ledger;

  /**
   * The ledger this builds, seq: ts event.
   *
   * <pre>
   * 1: 2026-11-22T10:00:00Z INIT
   * 2: 2026-11-22T10:00:00Z TOKEN_CREATED
   * 3: 2026-11-22T11:00:00Z KEY_TRUSTED
   * 4: 2026-11-22T12:00:00Z PACKED J
   * 5: 2026-11-23T00:00:00Z TOKEN_CREATED
   * 6: 2026-11-23T00:30:00Z PACKED K      (the clock stays here)
   * </pre>
   */
  @BeforeEach
  void buildLedger() throws Exception {
    cli = new JimfsCli();
    admin = cli.init();
    ledger = cli.fs.getPath("/srv/root/ledger/governance.jsonl");
    ok(cli.run("keys", "generate", "--out", "/work/k.pem"));
    cli.clock.advance(Duration.ofHours(1));
    ok(
        cli.run(
            "keys",
            "trust",
            "/work/k.pub.pem",
            "--tiers",
            "T2",
            "--owner",
            "me",
            "--token",
            admin));
    cli.clock.advance(Duration.ofHours(1));
    pack(J);
    cli.clock.advance(Duration.ofHours(12));
    ok(cli.run("token", "create", "--role", "operator", "--token", admin));
    cli.clock.advance(Duration.ofMinutes(30));
    pack(K);
    assertThat(storedLines()).hasSize(6);
    assertThat(cli.clock.instant()).isEqualTo(Instant.parse("2026-11-23T00:30:00Z"));
  }

  @AfterEach
  void close() throws Exception {
    cli.close();
  }

  void pack(String id) throws Exception {
    Path src = cli.fs.getPath("/work/src-" + id);
    Files.createDirectories(src.resolve("modules/" + id));
    Files.writeString(
        src.resolve("package.json"),
        "{\"id\":\""
            + id
            + "\",\"name\":\"j\",\"version\":\"1.0.0\",\"tier\":\"T2\",\"spec_id\":\"SPEC-J\"}");
    Files.writeString(src.resolve("modules/" + id + "/x.txt"), id);
    ok(cli.run("pack", "--src", src.toString(), "--key", "/work/k.pem", "--token", admin));
  }

  static JimfsCli.Run ok(JimfsCli.Run r) {
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  List<String> storedLines() throws Exception {
    return Files.readAllLines(ledger, StandardCharsets.UTF_8);
  }

  List<Long> seqs(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("ledger", "show"));
    all.addAll(List.of(args));
    all.add("--json");
    JimfsCli.Run r = ok(cli.run(all.toArray(String[]::new)));
    List<Long> out = new ArrayList<>();
    for (JsonNode e : r.json().get("entries")) {
      out.add(e.get("seq").asLong());
    }
    return out;
  }

  // ------------------------------------------------------------------ --since

  @Test
  void sinceAnInstantIsInclusiveToTheMillisecond() throws Exception {
    assertThat(seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(seqs("--since", "2026-11-22T11:00:00Z")).containsExactly(3L, 4L, 5L, 6L);
    assertThat(seqs("--since", "2026-11-22T11:00:00.001Z")).containsExactly(4L, 5L, 6L);
    assertThat(seqs("--since", "2026-11-22T10:59:59.999Z")).containsExactly(3L, 4L, 5L, 6L);
    assertThat(seqs("--since", "2026-11-22T10:00:00Z")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(seqs("--since", "2026-11-23T00:30:00.001Z")).isEmpty();
    // an offset is converted: 01:00+01:00 is 00:00Z
    assertThat(seqs("--since", "2026-11-23T01:00:00+01:00")).containsExactly(5L, 6L);
  }

  @Test
  void sinceADateMeansItsStartInUtc() throws Exception {
    assertThat(seqs("--since", "2026-11-23")).containsExactly(5L, 6L);
    assertThat(seqs("--since", "2026-11-22")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(seqs("--since", "2026-11-24")).isEmpty();
    JimfsCli.Run doc = ok(cli.run("ledger", "show", "--since", "2026-11-23", "--json"));
    assertThat(doc.json().get("since").asText()).isEqualTo("2026-11-23T00:00:00Z");
  }

  @Test
  void sinceADurationCountsBackFromTheContextClock() throws Exception {
    // now is 00:30Z: 30m reaches back exactly to entry 5's ts, which is included
    assertThat(seqs("--since", "30m")).containsExactly(5L, 6L);
    assertThat(seqs("--since", "29m")).containsExactly(6L);
    assertThat(seqs("--since", "13h")).containsExactly(4L, 5L, 6L);
    assertThat(seqs("--since", "1d")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(seqs("--since", "PT30M")).containsExactly(5L, 6L);
    cli.clock.advance(Duration.ofMinutes(1));
    assertThat(seqs("--since", "30m")).containsExactly(6L);
    JimfsCli.Run doc = ok(cli.run("ledger", "show", "--since", "2h", "--json"));
    assertThat(doc.json().get("since").asText()).isEqualTo("2026-11-22T22:31:00Z");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"yesterday", "2026-13-01", "2026-11-22T25:00:00Z", "-5m", "0m", "5w", "", "12"})
  void aBadSinceIsAUsageErrorNamingTheAcceptedForms(String bad) {
    JimfsCli.Run r = cli.run("ledger", "show", "--since", bad);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("--since")
        .contains("2026-11-22T10:00:00Z")
        .contains("2026-11-22")
        .contains("30m")
        .contains("7d")
        .doesNotContain("Exception");
    assertThat(r.err().lines().count()).isEqualTo(1);
  }

  @Test
  void sinceCombinesWithPackageAndEvent() throws Exception {
    assertThat(seqs("--event", "PACKED")).containsExactly(4L, 6L);
    assertThat(seqs("--event", "PACKED", "--since", "2026-11-23")).containsExactly(6L);
    assertThat(seqs("--package", J, "--since", "2026-11-23")).isEmpty();
    assertThat(seqs("--package", J, "--since", "2026-11-22T12:00:00Z")).containsExactly(4L);
    assertThat(seqs("--event", "TOKEN_CREATED", "--since", "1d")).containsExactly(2L, 5L);
  }

  @Test
  void textOutputHonoursSince() {
    JimfsCli.Run r = ok(cli.run("ledger", "show", "--since", "2026-11-23"));
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("TOKEN_CREATED").contains("2026-11-23T00:00:00Z");
    assertThat(lines.get(1)).contains("PACKED").contains(K + "@1.0.0");
  }

  // ------------------------------------------------------------------ --jsonl

  @Test
  void jsonlPrintsEveryEntryExactlyAsStored() throws Exception {
    JimfsCli.Run r = ok(cli.run("ledger", "show", "--jsonl"));
    List<String> out = r.out().lines().toList();
    assertThat(out).isEqualTo(storedLines());
    for (String line : out) {
      JsonNode n = Agentpkg.JSON.readTree(line);
      assertThat(n.isObject()).isTrue();
      assertThat(n.has("seq")).isTrue();
      assertThat(n.has("hash")).isTrue();
      assertThat(n.has("schema")).as("raw entries, no document wrapper").isFalse();
    }
    assertThat(r.out()).endsWith("\n");
  }

  @Test
  void jsonlFiltersCombine() throws Exception {
    List<String> stored = storedLines();
    assertThat(jsonl("--package", K)).containsExactly(stored.get(5));
    assertThat(jsonl("--event", "PACKED")).containsExactly(stored.get(3), stored.get(5));
    assertThat(jsonl("--event", "PACKED", "--package", J)).containsExactly(stored.get(3));
    assertThat(jsonl("--event", "TOKEN_CREATED", "--since", "2026-11-22T10:00:00.001Z"))
        .containsExactly(stored.get(4));
    assertThat(jsonl("--since", "30m")).containsExactly(stored.get(4), stored.get(5));
    assertThat(jsonl("--event", "INSTALLED")).isEmpty();
    assertThat(ok(cli.run("ledger", "show", "--jsonl", "--event", "INSTALLED")).out()).isEmpty();
  }

  @Test
  void jsonlMatchesTheEntriesOfTheJsonDocument() throws Exception {
    JsonNode doc = ok(cli.run("ledger", "show", "--json", "--since", "1d")).json();
    assertThat(doc.get("schema").asText()).isEqualTo("agentpkg/ledger/v1");
    List<String> lines = jsonl("--since", "1d");
    assertThat(lines).hasSize(doc.get("entries").size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(Agentpkg.JSON.readTree(lines.get(i))).isEqualTo(doc.get("entries").get(i));
    }
  }

  @Test
  void jsonlAndJsonTogetherAreAUsageError() {
    JimfsCli.Run r = cli.run("ledger", "show", "--jsonl", "--json");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--jsonl").contains("--json");
    JsonNode err = parse(r.out());
    assertThat(err.get("schema").asText()).isEqualTo("agentpkg/error/v1");
  }

  @ParameterizedTest
  @CsvSource({"2,5;6", "1,6", "0,''", "10,1;2;3;4;5;6"})
  void tailKeepsTheLastMatchingEntries(int n, String expected) throws Exception {
    List<Long> want = new ArrayList<>();
    if (!expected.isEmpty()) {
      for (String s : expected.split(";")) {
        want.add(Long.parseLong(s));
      }
    }
    assertThat(seqs("--tail", Integer.toString(n))).isEqualTo(want);
    assertThat(jsonl("--tail", Integer.toString(n))).hasSize(want.size());
  }

  @Test
  void tailAppliesAfterTheFilters() throws Exception {
    assertThat(seqs("--event", "TOKEN_CREATED", "--tail", "1")).containsExactly(5L);
    assertThat(jsonl("--event", "PACKED", "--tail", "1")).containsExactly(storedLines().get(5));
    assertThat(cli.run("ledger", "show", "--tail", "-1").code()).isEqualTo(2);
  }

  List<String> jsonl(String... args) {
    List<String> all = new ArrayList<>(List.of("ledger", "show", "--jsonl"));
    all.addAll(List.of(args));
    return ok(cli.run(all.toArray(String[]::new))).out().lines().toList();
  }

  static JsonNode parse(String s) {
    try {
      return Agentpkg.JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }

  // ------------------------------------------------------------------ verify

  @Test
  void verifyReportsTheVerifiedAndTheRecordedHeadAndThatTheyAgree() throws Exception {
    JsonNode last = parse(storedLines().get(5));
    JimfsCli.Run r = ok(cli.run("ledger", "verify", "--json"));
    JsonNode d = r.json();
    assertThat(d.get("schema").asText()).isEqualTo("agentpkg/ledger-verify/v1");
    assertThat(d.get("ok").asBoolean()).isTrue();
    assertThat(d.get("entries").asLong()).isEqualTo(6);
    assertThat(d.get("head").get("seq").asLong()).isEqualTo(6);
    assertThat(d.get("head").get("hash").asText()).isEqualTo(last.get("hash").asText());
    assertThat(d.get("recorded_head")).isEqualTo(d.get("head"));
    assertThat(d.get("head_check").asText()).isEqualTo("matches");
    assertThat(d.get("head_agrees").asBoolean()).isTrue();
    assertThat(d.get("problem").isNull()).isTrue();

    JimfsCli.Run text = ok(cli.run("ledger", "verify"));
    assertThat(text.out())
        .contains("intact: 6 entries")
        .contains("verified head: seq 6 " + last.get("hash").asText())
        .contains("recorded head: seq 6 " + last.get("hash").asText())
        .contains("heads agree");
  }

  @Test
  void verifyNamesTruncationWithBothHeads() throws Exception {
    List<String> lines = storedLines();
    String recorded = parse(lines.get(5)).get("hash").asText();
    String kept = parse(lines.get(3)).get("hash").asText();
    Files.write(ledger, lines.subList(0, 4), StandardCharsets.UTF_8);

    JimfsCli.Run r = cli.run("ledger", "verify", "--json");
    assertThat(r.code()).isEqualTo(3);
    JsonNode d = r.json();
    assertThat(d.get("ok").asBoolean()).isFalse();
    assertThat(d.get("head").get("seq").asLong()).isEqualTo(4);
    assertThat(d.get("head").get("hash").asText()).isEqualTo(kept);
    assertThat(d.get("recorded_head").get("seq").asLong()).isEqualTo(6);
    assertThat(d.get("recorded_head").get("hash").asText()).isEqualTo(recorded);
    assertThat(d.get("head_check").asText()).isEqualTo("missing");
    assertThat(d.get("head_agrees").asBoolean()).isFalse();
    assertThat(d.get("problem").get("kind").asText()).isEqualTo("TRUNCATED");
    assertThat(d.get("problem").get("seq").asLong()).isEqualTo(6);

    JimfsCli.Run text = cli.run("ledger", "verify");
    assertThat(text.code()).isEqualTo(3);
    assertThat(text.out())
        .contains("TRUNCATED at seq 6")
        .contains("verified head: seq 4 " + kept)
        .contains("recorded head: seq 6 " + recorded)
        .contains("DISAGREE");
    assertThat(text.err()).contains("truncated").contains("seq 6");
  }

  @Test
  void verifyNamesTheFirstBadEntryBySeq() throws Exception {
    List<String> lines = new ArrayList<>(storedLines());
    lines.set(2, lines.get(2).replace("\"owner\":\"me\"", "\"owner\":\"mallory\""));
    assertThat(lines.get(2)).contains("mallory");
    Files.write(ledger, lines, StandardCharsets.UTF_8);

    JimfsCli.Run r = cli.run("ledger", "verify", "--json");
    assertThat(r.code()).isEqualTo(3);
    JsonNode d = r.json();
    assertThat(d.get("problem").get("kind").asText()).isEqualTo("BROKEN");
    assertThat(d.get("problem").get("seq").asLong()).isEqualTo(3);
    assertThat(d.get("problem").get("message").asText()).contains("entry 3").contains("modified");
    assertThat(d.get("entries").asLong()).isEqualTo(2);
    assertThat(d.get("head").get("seq").asLong()).isEqualTo(2);
    assertThat(d.get("recorded_head").get("seq").asLong()).isEqualTo(6);
    assertThat(d.get("head_check").asText()).isEqualTo("unchecked");

    JimfsCli.Run text = cli.run("ledger", "verify");
    assertThat(text.out()).contains("BROKEN at seq 3").contains("modified");
    assertThat(text.err()).contains("seq 3");
  }
}

package dev.agentpkg.integrity.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LedgerEntryTest {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  static final LedgerActor ADMIN = new LedgerActor("tok1", "admin");
  static final LedgerPackage PKG = new LedgerPackage("PKG-T1-RUNTIME-001", "0.1.0");

  @Test
  void firstEntryChainsToGenesis() {
    LedgerEntry e = LedgerEntry.next(null, T0, "INIT", null, null, Json.object());

    assertThat(e.seq()).isEqualTo(1);
    assertThat(e.prev()).isEqualTo("sha256:" + "0".repeat(64)).isEqualTo(LedgerEntry.GENESIS_PREV);
    assertThat(e.ts()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(e.hash()).matches("sha256:[0-9a-f]{64}").isEqualTo(e.computeHash());
  }

  @Test
  void nextEntryChainsToPrevious() {
    LedgerEntry a = LedgerEntry.next(null, T0, "INIT", null, null, Json.object());
    LedgerEntry b = LedgerEntry.next(a, T0.plusSeconds(1), "INSTALLED", ADMIN, PKG, Json.object());

    assertThat(b.seq()).isEqualTo(2);
    assertThat(b.prev()).isEqualTo(a.hash());
    assertThat(b.hash()).isNotEqualTo(a.hash());
  }

  @Test
  void hashCoversCanonicalJsonWithoutHashField() {
    ObjectNode details = Json.object().put("z", 1).put("a", "x");
    LedgerEntry e = LedgerEntry.next(null, T0, "INSTALLED", ADMIN, PKG, details);

    ObjectNode parsed = (ObjectNode) Json.parse(e.toJsonLine(), "test");
    assertThat(parsed.get("hash").textValue()).isEqualTo(e.hash());
    parsed.remove("hash");
    assertThat(e.hash()).isEqualTo("sha256:" + Sha256.hex(CanonicalJson.bytes(parsed)));
  }

  @Test
  void jsonLineUsesSpecFieldNames() {
    LedgerEntry e =
        LedgerEntry.next(null, T0, "INSTALLED", ADMIN, PKG, Json.object().put("signer", "k"));

    assertThat(e.toJsonLine())
        .isEqualTo(
            "{\"actor\":{\"role\":\"admin\",\"token_id\":\"tok1\"},\"details\":{\"signer\":\"k\"},"
                + "\"event\":\"INSTALLED\",\"hash\":\""
                + e.hash()
                + "\",\"package\":{\"id\":\"PKG-T1-RUNTIME-001\",\"version\":\"0.1.0\"},"
                + "\"prev\":\""
                + LedgerEntry.GENESIS_PREV
                + "\",\"seq\":1,\"ts\":\"2026-01-02T03:04:05Z\"}")
        .doesNotContain("\n");
    LedgerEntry nulls = LedgerEntry.next(e, T0, "INIT", null, null, null);
    assertThat(nulls.toJsonLine())
        .contains("\"actor\":null")
        .contains("\"package\":null")
        .contains("\"details\":{}");
  }

  @Test
  void parseRoundTrip() {
    LedgerEntry e = LedgerEntry.next(null, T0, "INSTALLED", ADMIN, PKG, Json.object().put("n", 3));
    LedgerEntry back = LedgerEntry.parse(e.toJsonLine());

    assertThat(back).isEqualTo(e);
    assertThat(back.computeHash()).isEqualTo(e.hash());
  }

  @Test
  void detailsAreCopiedInAndOut() {
    ObjectNode details = Json.object().put("k", "v");
    LedgerEntry e = LedgerEntry.next(null, T0, "INIT", null, null, details);
    details.put("k", "changed");
    e.details().put("k", "changed too");

    assertThat(e.details().get("k").textValue()).isEqualTo("v");
    assertThat(e.computeHash()).isEqualTo(e.hash());
  }

  @Test
  void clockSteppingBackDoesNotMakeTimeGoBackwards() {
    LedgerEntry a = LedgerEntry.next(null, T0, "INIT", null, null, null);
    LedgerEntry b = LedgerEntry.next(a, T0.minusSeconds(60), "INIT", null, null, null);

    assertThat(b.ts()).isEqualTo(a.ts());
  }

  @Test
  void tsIsUtcWithMillisecondPrecision() {
    LedgerEntry e =
        LedgerEntry.next(
            null, Instant.parse("2026-01-02T03:04:05.123456789Z"), "INIT", null, null, null);
    assertThat(e.ts()).isEqualTo("2026-01-02T03:04:05.123Z");
  }

  @Test
  void fieldsAreValidated() {
    assertThatThrownBy(() -> LedgerEntry.next(null, T0, "installed", null, null, null))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("event");
    assertThatThrownBy(() -> new LedgerActor("agp_abc_secret", "admin"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("token id");
    assertThatThrownBy(() -> new LedgerActor("", "admin")).isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> new LedgerPackage("PKG-T1-X-001", null))
        .isInstanceOf(UsageException.class);
    ObjectNode floats = Json.object().put("f", 1.5);
    assertThatThrownBy(() -> LedgerEntry.next(null, T0, "INIT", null, null, floats))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("integers");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "{",
        "[]",
        "{\"seq\":1}",
        // seq as string
        "{\"actor\":null,\"details\":{},\"event\":\"INIT\",\"hash\":\"H\",\"package\":null,\"prev\":\"G\",\"seq\":\"1\",\"ts\":\"2026-01-02T03:04:05Z\"}",
        // fractional seq
        "{\"actor\":null,\"details\":{},\"event\":\"INIT\",\"hash\":\"H\",\"package\":null,\"prev\":\"G\",\"seq\":1.5,\"ts\":\"2026-01-02T03:04:05Z\"}",
        // extra field
        "{\"actor\":null,\"details\":{},\"event\":\"INIT\",\"extra\":1,\"hash\":\"H\",\"package\":null,\"prev\":\"G\",\"seq\":1,\"ts\":\"2026-01-02T03:04:05Z\"}",
        // missing actor
        "{\"details\":{},\"event\":\"INIT\",\"hash\":\"H\",\"package\":null,\"prev\":\"G\",\"seq\":1,\"ts\":\"2026-01-02T03:04:05Z\"}",
        // ts not UTC
        "{\"actor\":null,\"details\":{},\"event\":\"INIT\",\"hash\":\"H\",\"package\":null,\"prev\":\"G\",\"seq\":1,\"ts\":\"2026-01-02T03:04:05+01:00\"}",
        // ts not a time
        "{\"actor\":null,\"details\":{},\"event\":\"INIT\",\"hash\":\"H\",\"package\":null,\"prev\":\"G\",\"seq\":1,\"ts\":\"yesterdayZ\"}",
        // bad hash format
        "{\"actor\":null,\"details\":{},\"event\":\"INIT\",\"hash\":\"md5:00\",\"package\":null,\"prev\":\"G\",\"seq\":1,\"ts\":\"2026-01-02T03:04:05Z\"}",
        // details not an object
        "{\"actor\":null,\"details\":[],\"event\":\"INIT\",\"hash\":\"H\",\"package\":null,\"prev\":\"G\",\"seq\":1,\"ts\":\"2026-01-02T03:04:05Z\"}",
        // actor with secret-bearing extra field
        "{\"actor\":{\"role\":\"admin\",\"secret\":\"s\",\"token_id\":\"t\"},\"details\":{},\"event\":\"INIT\",\"hash\":\"H\",\"package\":null,\"prev\":\"G\",\"seq\":1,\"ts\":\"2026-01-02T03:04:05Z\"}",
        // float in details
        "{\"actor\":null,\"details\":{\"f\":1.5},\"event\":\"INIT\",\"hash\":\"H\",\"package\":null,\"prev\":\"G\",\"seq\":1,\"ts\":\"2026-01-02T03:04:05Z\"}"
      })
  void parseRefusesMalformedLines(String line) {
    String l =
        line.replace("\"H\"", "\"sha256:" + "1".repeat(64) + "\"")
            .replace("\"G\"", "\"" + LedgerEntry.GENESIS_PREV + "\"");
    assertThatThrownBy(() -> LedgerEntry.parse(l)).isInstanceOf(VerificationException.class);
  }

  @Test
  void validTemplateParses() {
    // Guards the malformed-line cases above: the same template with valid values parses.
    String line =
        "{\"actor\":null,\"details\":{},\"event\":\"INIT\",\"hash\":\"sha256:"
            + "1".repeat(64)
            + "\",\"package\":null,\"prev\":\""
            + LedgerEntry.GENESIS_PREV
            + "\",\"seq\":1,\"ts\":\"2026-01-02T03:04:05Z\"}";
    JsonNode n = Json.parse(line, "t");
    assertThat(LedgerEntry.parse(line).seq()).isEqualTo(n.get("seq").longValue());
  }
}

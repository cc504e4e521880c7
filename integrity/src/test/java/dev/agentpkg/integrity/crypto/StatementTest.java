package dev.agentpkg.integrity.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.UsageException;
import dev.agentpkg.core.VerificationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementTest {
  static final String A = "a".repeat(64);
  static final String B = "b".repeat(64);
  static final Statement STATEMENT = new Statement(A, "PKG-T1-RUNTIME-001", B, "T1", "0.1.0");
  static final String CANONICAL =
      "{\"archive_sha256\":\""
          + A
          + "\",\"id\":\"PKG-T1-RUNTIME-001\",\"manifest_sha256\":\""
          + B
          + "\",\"tier\":\"T1\",\"version\":\"0.1.0\"}";

  @Test
  void canonicalBytesAreSortedCompactJson() {
    assertThat(new String(STATEMENT.canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(CANONICAL);
  }

  @Test
  void parseRoundTrip() {
    assertThat(Statement.parse(STATEMENT.canonicalBytes())).isEqualTo(STATEMENT);
  }

  @Test
  void constructorValidates() {
    assertThatThrownBy(() -> new Statement("A".repeat(64), "PKG-T1-X-001", B, "T1", "1.0.0"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("archive_sha256");
    assertThatThrownBy(() -> new Statement(A, "PKG-T1-X-001", "b", "T1", "1.0.0"))
        .hasMessageContaining("manifest_sha256");
    assertThatThrownBy(() -> new Statement(A, "pkg-t1-x-001", B, "T1", "1.0.0"))
        .hasMessageContaining("package id");
    assertThatThrownBy(() -> new Statement(A, "PKG-T1-X-001", B, "T9", "1.0.0"))
        .hasMessageContaining("tier");
    assertThatThrownBy(() -> new Statement(A, "PKG-T1-X-001", B, "T2", "1.0.0"))
        .hasMessageContaining("does not match");
    assertThatThrownBy(() -> new Statement(A, "PKG-T1-X-001", B, "T1", ""))
        .hasMessageContaining("version");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "[]",
        "null",
        "{\"archive_sha256\":\"x\"}",
        // extra key
        "{\"archive_sha256\":\"AAA\",\"extra\":1,\"id\":\"PKG-T1-RUNTIME-001\",\"manifest_sha256\":\"BBB\",\"tier\":\"T1\",\"version\":\"0.1.0\"}",
        // not a string
        "{\"archive_sha256\":\"AAA\",\"id\":\"PKG-T1-RUNTIME-001\",\"manifest_sha256\":\"BBB\",\"tier\":\"T1\",\"version\":1}",
        // valid content but not canonical (space)
        "{\"archive_sha256\": \"AAA\",\"id\":\"PKG-T1-RUNTIME-001\",\"manifest_sha256\":\"BBB\",\"tier\":\"T1\",\"version\":\"0.1.0\"}",
        // duplicate key
        "{\"archive_sha256\":\"AAA\",\"archive_sha256\":\"AAA\",\"id\":\"PKG-T1-RUNTIME-001\",\"manifest_sha256\":\"BBB\",\"tier\":\"T1\",\"version\":\"0.1.0\"}",
        // bad digest
        "{\"archive_sha256\":\"zz\",\"id\":\"PKG-T1-RUNTIME-001\",\"manifest_sha256\":\"BBB\",\"tier\":\"T1\",\"version\":\"0.1.0\"}"
      })
  void parseRefusesMalformed(String json) {
    byte[] bytes = json.replace("AAA", A).replace("BBB", B).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Statement.parse(bytes))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("signed statement is invalid");
  }
}

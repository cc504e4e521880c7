package dev.agentpkg.integrity.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.UsageException;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackageIdTest {
  /** The documented grammar; the class checks it by hand. */
  private static final Pattern GRAMMAR =
      Pattern.compile("^PKG-(G0|T0|T1|T2|T3)-[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{3}$");

  @ParameterizedTest
  @ValueSource(
      strings = {"PKG-T1-RUNTIME-001", "PKG-G0-A-000", "PKG-T3-A-B-C-999", "PKG-T0-007-001"})
  void acceptsTheGrammar(String id) {
    assertThat(PackageId.isValid(id)).isTrue();
    assertThat(PackageId.of(id).tier().name()).isEqualTo(id.substring(4, 6));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "PKG-T1--001",
        "PKG-T1-A--B-001",
        "PKG-T1-A-01",
        "PKG-T4-A-001",
        "PKG-G1-A-001",
        "PKG-T1-a-001",
        "PKG-T1-A-001\n",
        "PKG-T1-A-0011",
        "PKG-T1-A-001-",
        "PKG-T1--A-001",
        "pkg-T1-A-001",
        "PKG_T1-A-001",
        "PKG-T1-A_B-001",
        "PKG-T1-Ä-001"
      })
  void refusesEverythingElse(String id) {
    assertThat(PackageId.isValid(id)).isFalse();
    assertThatThrownBy(() -> PackageId.of(id))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("invalid package id");
  }

  @Test
  void refusesNullAndOverlongIds() {
    assertThat(PackageId.isValid(null)).isFalse();
    String longest = "PKG-T1-" + "A".repeat(128 - 11) + "-001";
    assertThat(PackageId.isValid(longest)).isTrue();
    assertThat(PackageId.isValid("PKG-T1-A" + longest.substring(7))).isFalse();
  }

  @Test
  void handWrittenCheckAgreesWithTheGrammarOnRandomIds() {
    String[] pieces = {"PKG-", "T1", "G0", "T4", "-", "--", "A", "Z9", "a", "0", "123", "_", "\n"};
    Random random = new Random(20261207);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder(random.nextInt(8) == 0 ? "" : "PKG-T2-");
      for (int n = random.nextInt(7); n > 0; n--) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      if (random.nextBoolean()) {
        sb.append('-').append(String.format("%03d", random.nextInt(1000)));
      }
      String id = sb.toString();
      assertThat(PackageId.isValid(id)).as(id).isEqualTo(GRAMMAR.matcher(id).matches());
    }
  }

  @Test
  void equalityIsTheValues() {
    assertThat(PackageId.of("PKG-T1-A-001")).isEqualTo(PackageId.of("PKG-T1-A-001"));
    assertThat(PackageId.of("PKG-T1-A-001")).hasSameHashCodeAs(PackageId.of("PKG-T1-A-001"));
    assertThat(PackageId.of("PKG-T1-A-001")).isNotEqualTo(PackageId.of("PKG-T1-A-002"));
    assertThat(PackageId.of("PKG-T1-A-001")).isNotEqualTo("PKG-T1-A-001");
  }
}

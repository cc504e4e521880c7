package dev.agentpkg.integrity.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.UsageException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionRangeTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    ">=0.1.0 <1.0.0, 0.1.0, true",
    ">=0.1.0 <1.0.0, 0.9.99, true",
    ">=0.1.0 <1.0.0, 1.0.0, false",
    ">=0.1.0 <1.0.0, 0.0.9, false",
    ">=0.1.0 <1.0.0, 1.0.0-rc.1, true",
    "1.2.3, 1.2.3, true",
    "1.2.3, 1.2.4, false",
    "1.2.3, 1.2.3-rc.1, false",
    "1.2.3, 1.2.3+build.5, true",
    "=1.2.3, 1.2.3, true",
    ">1.2.3, 1.2.3, false",
    ">1.2.3, 1.2.4-alpha, true",
    "<=1.2.3, 1.2.3, true",
    "<=1.2.3, 1.2.4, false",
    "<1.2.3, 1.2.3-alpha, true",
    ">=1.0.0 <=1.0.0, 1.0.0, true",
    ">2.0.0 <1.0.0, 1.5.0, false",
  })
  void containsChecksEveryComparator(String range, String version, boolean expected) {
    assertThat(VersionRange.parse(range).contains(SemVer.parse(version))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'>=0.1.0 <1.0.0', '>=0.1.0 <1.0.0'",
    "'  >=0.1.0    <1.0.0  ', '>=0.1.0 <1.0.0'",
    "'=1.2.3', '1.2.3'",
    "'1.2.3', '1.2.3'",
    "'>1.0.0-rc.1+b', '>1.0.0-rc.1+b'",
  })
  void toStringIsNormalisedAndReparses(String text, String normal) {
    VersionRange r = VersionRange.parse(text);
    assertThat(r.toString()).isEqualTo(normal);
    assertThat(VersionRange.parse(r.toString())).isEqualTo(r);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        ">=1.0.0 || <0.5.0",
        "||",
        "^1.2.3",
        "~1.2.3",
        "*",
        "1.x",
        "latest",
        ">= 1.0.0",
        "=>1.0.0",
        "==1.0.0",
        "!=1.0.0",
        ">=1.0",
        "1.0.0 - 2.0.0",
        ">=1.0.0,<2.0.0",
        ">=1.0.0\t<2.0.0",
        "v1.0.0"
      })
  void garbageIsRefusedNamingTheRange(String text) {
    assertThatThrownBy(() -> VersionRange.parse(text))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("invalid version range '");
  }

  @ParameterizedTest
  @ValueSource(strings = {"~>", "!", "=="})
  void comparatorRefusesUnknownOperators(String op) {
    assertThatThrownBy(() -> new VersionRange.Comparator(op, SemVer.of(1, 0, 0)))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'" + op + "'");
  }

  @org.junit.jupiter.api.Test
  void orMessageExplainsAlternativesAreNotSupported() {
    assertThatThrownBy(() -> VersionRange.parse(">=1.0.0 || 2.0.0")).hasMessageContaining("'||'");
  }
}

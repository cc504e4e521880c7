package dev.agentpkg.integrity.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.UsageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {
  // semver.org section 11 example chain, ascending.
  private static final List<String> CHAIN =
      List.of(
          "1.0.0-alpha",
          "1.0.0-alpha.1",
          "1.0.0-alpha.beta",
          "1.0.0-beta",
          "1.0.0-beta.2",
          "1.0.0-beta.11",
          "1.0.0-rc.1",
          "1.0.0",
          "1.0.1",
          "1.1.0",
          "2.0.0",
          "10.0.0");

  @Test
  void precedenceFollowsTheSemverOrgChain() {
    for (int i = 0; i < CHAIN.size(); i++) {
      for (int j = 0; j < CHAIN.size(); j++) {
        SemVer a = SemVer.parse(CHAIN.get(i));
        SemVer b = SemVer.parse(CHAIN.get(j));
        assertThat(Integer.signum(a.compareTo(b)))
            .as("%s vs %s", a, b)
            .isEqualTo(Integer.compare(i, j));
      }
    }
  }

  @Test
  void sortingAShuffledListRestoresTheChain() {
    List<SemVer> shuffled = new ArrayList<>(CHAIN.stream().map(SemVer::parse).toList());
    Collections.shuffle(shuffled, new Random(42));
    Collections.sort(shuffled);
    assertThat(shuffled).extracting(SemVer::toString).containsExactlyElementsOf(CHAIN);
  }

  @Test
  void buildMetadataIsKeptButIgnoredForPrecedence() {
    SemVer a = SemVer.parse("1.0.0+build.1");
    SemVer b = SemVer.parse("1.0.0+build.2");
    assertThat(a.compareTo(b)).isZero();
    assertThat(a).isNotEqualTo(b);
    assertThat(a.build()).isEqualTo("build.1");
    assertThat(SemVer.parse("1.0.0").build()).isEmpty();
  }

  @Test
  void numericPreReleaseIdentifiersCompareNumericallyEvenBeyondLong() {
    assertThat(SemVer.parse("1.0.0-99999999999999999999").compareTo(SemVer.parse("1.0.0-100")))
        .isPositive();
    assertThat(SemVer.parse("1.0.0-2").compareTo(SemVer.parse("1.0.0-10"))).isNegative();
    assertThat(SemVer.parse("1.0.0-999").compareTo(SemVer.parse("1.0.0-a"))).isNegative();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0",
        "1.2.3",
        "1.0.0-alpha",
        "1.0.0-0.3.7",
        "1.0.0-x.7.z.92",
        "1.0.0-x-y-z.--",
        "1.0.0-alpha+001",
        "1.0.0+20130313144700",
        "1.0.0-beta+exp.sha.5114f85",
        "1.0.0+21AF26D3----117B344092BD",
        "2147483647.0.0"
      })
  void validVersionsRoundTrip(String text) {
    SemVer v = SemVer.parse(text);
    assertThat(v.toString()).isEqualTo(text);
    assertThat(SemVer.parse(v.toString())).isEqualTo(v);
  }

  @Test
  void partsAreExposed() {
    SemVer v = SemVer.parse("3.4.5-rc.1+b7");
    assertThat(v.major()).isEqualTo(3);
    assertThat(v.minor()).isEqualTo(4);
    assertThat(v.patch()).isEqualTo(5);
    assertThat(v.preRelease()).containsExactly("rc", "1");
    assertThat(v.isPreRelease()).isTrue();
    assertThat(v).isEqualTo(new SemVer(3, 4, 5, List.of("rc", "1"), "b7"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "01.0.0",
        "1.01.0",
        "1.0.01",
        "1.0",
        "1",
        "1.0.0.0",
        "1.0.0-",
        "1.0.0+",
        "1.0.0-01",
        "1.0.0-alpha..1",
        "1.0.0-alpha.",
        "1.0.0+build..1",
        "1.0.0-al_pha",
        "1.0.0-é",
        "v1.0.0",
        " 1.0.0",
        "1.0.0 ",
        "-1.0.0",
        "1.-1.0",
        "a.b.c",
        "2147483648.0.0",
        "99999999999999999999.0.0"
      })
  void invalidVersionsAreRefusedWithTheValueNamed(String text) {
    assertThatThrownBy(() -> SemVer.parse(text))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("invalid version '" + text);
  }

  @Test
  void constructorValidatesToo() {
    assertThatThrownBy(() -> new SemVer(1, 0, 0, List.of("01"), ""))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'01'");
    assertThatThrownBy(() -> new SemVer(-1, 0, 0, List.of(), ""))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> new SemVer(1, 0, 0, List.of(), "a..b"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("build metadata 'a..b'");
    assertThat(new SemVer(1, 0, 0, List.of(), null).build()).isEmpty();
  }
}

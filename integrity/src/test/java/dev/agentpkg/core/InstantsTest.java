package dev.agentpkg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantsTest {
  @Test
  void formatsAndParsesExactlyAsInstantDoes() {
    Random r = new Random(42);
    long min = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      long seconds = min + (long) (r.nextDouble() * (max - min));
      int nano =
          switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(1000) * 1_000_000;
            case 2 -> r.nextInt(1_000_000) * 1_000;
            default -> r.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(seconds, nano);
      String text = instant.toString();
      assertThat(Instants.format(instant)).isEqualTo(text);
      assertThat(Instants.parse(text)).isEqualTo(instant);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-07T13:01:02Z",
        "2026-12-07T13:01:02.5Z",
        "2026-12-07T13:01:02.Z",
        "2026-12-07T13:01:02.123456789Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "2024-02-29T12:00:00Z",
        "2026-12-07t13:01:02z",
        "2026-12-07T13:01:02+01:00",
        "+10000-01-01T00:00:00Z",
        "2026-12-31T23:59:60Z",
        "2026-12-07T24:00:00Z"
      })
  void agreesWithInstantParseOnValidText(String text) {
    Instant expected;
    try {
      expected = Instant.parse(text);
    } catch (DateTimeParseException e) {
      assertThatThrownBy(() -> Instants.parse(text)).isInstanceOf(DateTimeParseException.class);
      return;
    }
    assertThat(Instants.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2026-12-07T13:01:02",
        "2026-12-07T13:01:02.1234567890Z",
        "2026-02-30T00:00:00Z",
        "2025-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-12-07T13:60:00Z",
        "2026-12-07 13:01:02Z",
        "2026-12-07T13:01:0xZ",
        "20261207T130102Z"
      })
  void refusesWhatInstantParseRefuses(String text) {
    assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> Instants.parse(text)).isInstanceOf(DateTimeParseException.class);
  }
}

package dev.agentpkg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.UsageException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @Test
  void parsesShortFormsAndIso() {
    assertThat(Durations.parse("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(Durations.parse("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(Durations.parse("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(Durations.parse("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("P2DT3H")).isEqualTo(Duration.ofHours(51));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "0d", "0s", "PT0S", "PT-1H", "-5m", "5", "5y", "d", "1.5h", "abc"})
  void refusesInvalidZeroAndNegative(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(UsageException.class);
  }
}

package dev.agentpkg.registry;

import dev.agentpkg.core.UsageException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses user-given durations such as {@code 30d}, {@code 12h}, {@code 90m}, {@code PT1H}. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("^([0-9]{1,12})([dhms])$");

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new UsageException("empty duration (expected e.g. 30d, 12h, 90m, 45s or PT1H)");
    }
    String t = text.trim();
    Duration d;
    Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d =
            switch (m.group(2)) {
              case "d" -> Duration.ofDays(n);
              case "h" -> Duration.ofHours(n);
              case "m" -> Duration.ofMinutes(n);
              default -> Duration.ofSeconds(n);
            };
      } else if (t.startsWith("P") || t.startsWith("p")) {
        d = Duration.parse(t);
      } else {
        throw new UsageException(
            "invalid duration '" + text + "' (expected e.g. 30d, 12h, 90m, 45s or PT1H)");
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new UsageException(
          "invalid duration '" + text + "' (expected e.g. 30d, 12h, 90m, 45s or PT1H)", e);
    }
    if (d.isZero() || d.isNegative()) {
      throw new UsageException("duration '" + text + "' must be positive");
    }
    return d;
  }
}

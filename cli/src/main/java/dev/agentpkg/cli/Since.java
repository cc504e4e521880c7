package dev.agentpkg.cli;

import dev.agentpkg.core.UsageException;
import dev.agentpkg.registry.Durations;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * The {@code --since} value of {@code ledger show}: an ISO-8601 instant, a date (its start, UTC),
 * or a duration back from now, so "what happened in the last two hours" needs no date arithmetic.
 */
final class Since {
  static final String FORMS =
      "expected an ISO-8601 instant (2026-11-22T10:00:00Z), a date (2026-11-22, meaning 00:00Z)"
          + " or a duration back from now (30m, 2h, 7d, PT1H)";
  private static final Pattern DATE = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
  private static final Pattern DURATION = Pattern.compile("^([0-9]+[dhmsDHMS]|[pP].*)$");

  private Since() {}

  static Instant parse(String text, Clock clock) {
    String t = text == null ? "" : text.trim();
    try {
      if (DATE.matcher(t).matches()) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (DURATION.matcher(t).matches()) {
        return clock.instant().minus(Durations.parse(t));
      }
      if (t.contains("T")) {
        // An explicit offset is accepted too; the ledger itself is always UTC.
        return OffsetDateTime.parse(t).toInstant();
      }
    } catch (DateTimeException | UsageException | ArithmeticException e) {
      throw new UsageException("invalid --since '" + text + "': " + FORMS, e);
    }
    throw new UsageException("invalid --since '" + text + "': " + FORMS);
  }
}

package dev.agentpkg.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 UTC instants as the registries and the ledger write them, read and written without
 * {@code DateTimeFormatter} in the common case: a 1,000-row registry spent 18 ms of a 10-file
 * install in {@code Instant.parse}, most of it interpreted. The results are exactly those of {@link
 * Instant#parse} and {@link Instant#toString}; anything but the plain form falls back to them.
 */
public final class Instants {
  private static final long MIN_DAY = LocalDate.of(0, 1, 1).toEpochDay();
  private static final long MAX_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
  private static final int[] POW10 = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  private Instants() {}

  /**
   * Same as {@link Instant#parse}.
   *
   * @throws DateTimeParseException as {@link Instant#parse} does
   */
  public static Instant parse(CharSequence text) {
    Instant plain = plain(text);
    return plain != null ? plain : Instant.parse(text);
  }

  /** Same as {@link Instant#toString}. */
  public static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    long day = Math.floorDiv(seconds, 86_400);
    if (day < MIN_DAY || day > MAX_DAY) {
      return instant.toString();
    }
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    LocalDate date = LocalDate.ofEpochDay(day);
    StringBuilder b = new StringBuilder(30);
    digits(b, date.getYear(), 4).append('-');
    digits(b, date.getMonthValue(), 2).append('-');
    digits(b, date.getDayOfMonth(), 2).append('T');
    digits(b, secondOfDay / 3600, 2).append(':');
    digits(b, secondOfDay / 60 % 60, 2).append(':');
    digits(b, secondOfDay % 60, 2);
    int nano = instant.getNano();
    if (nano > 0) {
      b.append('.');
      if (nano % 1_000_000 == 0) {
        digits(b, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        digits(b, nano / 1_000, 6);
      } else {
        digits(b, nano, 9);
      }
    }
    return b.append('Z').toString();
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with every field in range, or null for anything else. */
  private static Instant plain(CharSequence s) {
    int n = s.length();
    if (n < 20
        || n == 21
        || n > 30
        || s.charAt(n - 1) != 'Z'
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || (n > 20 && s.charAt(19) != '.')) {
      return null;
    }
    int year = number(s, 0, 4);
    int month = number(s, 5, 2);
    int day = number(s, 8, 2);
    int hour = number(s, 11, 2);
    int minute = number(s, 14, 2);
    int second = number(s, 17, 2);
    int nano = 0;
    if (n > 20) {
      int fraction = n - 21;
      nano = number(s, 20, fraction);
      if (nano < 0) {
        return null;
      }
      nano *= POW10[9 - fraction];
    }
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23) {
      return null;
    }
    if (minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null; // Instant.parse words the error
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nano);
  }

  /** The non-negative decimal of {@code len} ASCII digits at {@code off}, or -1. */
  private static int number(CharSequence s, int off, int len) {
    int v = 0;
    for (int i = off; i < off + len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static StringBuilder digits(StringBuilder b, int value, int width) {
    String text = Integer.toString(value);
    for (int i = text.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(text);
  }
}

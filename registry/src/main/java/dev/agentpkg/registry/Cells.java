package dev.agentpkg.registry;

import dev.agentpkg.core.Instants;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Typed reads of CSV cells; a bad value is an error naming file, line and column. */
final class Cells {
  private Cells() {}

  static Instant instant(CsvTable table, CsvTable.Row row, String column) {
    Instant i = optionalInstant(table, row, column);
    if (i == null) {
      throw table.invalid(row, column + " is empty");
    }
    return i;
  }

  /** Null for an empty cell. */
  static Instant optionalInstant(CsvTable table, CsvTable.Row row, String column) {
    String v = row.get(column);
    if (v.isEmpty()) {
      return null;
    }
    try {
      return Instants.parse(v);
    } catch (DateTimeParseException e) {
      throw table.invalid(row, column + " '" + v + "' is not an ISO-8601 UTC instant");
    }
  }

  static String instantText(Instant i) {
    return i == null ? "" : Instants.format(i);
  }

  static String nonEmpty(CsvTable table, CsvTable.Row row, String column) {
    String v = row.get(column);
    if (v.isEmpty()) {
      throw table.invalid(row, column + " is empty");
    }
    return v;
  }
}

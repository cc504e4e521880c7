package dev.agentpkg.registry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.agentpkg.core.AtomicFiles;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A strict CSV file with a fixed header. Registry files are read as untrusted input: the header
 * must equal the expected columns and every row must have exactly that many fields, otherwise the
 * read fails naming file and line, and nothing is written. Writes replace the file atomically.
 */
public final class CsvTable {
  private final Path file;
  private final List<String> columns;

  /** A data row and the (1-based) line it starts on, for error messages. */
  public static final class Row {
    private final long line;
    private final List<String> columns;
    private final String[] fields;

    Row(long line, List<String> columns, String[] fields) {
      this.line = line;
      this.columns = columns;
      this.fields = fields;
    }

    public long line() {
      return line;
    }

    /** The row keyed by column, in header order. */
    public Map<String, String> values() {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < fields.length; i++) {
        m.put(columns.get(i), fields[i]);
      }
      return Collections.unmodifiableMap(m);
    }

    public String get(String column) {
      int i = columns.indexOf(column);
      if (i < 0) {
        throw new IllegalArgumentException("no column " + column);
      }
      return fields[i];
    }
  }

  public CsvTable(Path file, List<String> columns) {
    this.file = Objects.requireNonNull(file, "file");
    this.columns = List.copyOf(columns);
    if (this.columns.isEmpty()
        || this.columns.stream().distinct().count() != columns.size()
        || !this.columns.stream().allMatch(c -> c.matches("[a-z0-9_]+"))) {
      throw new IllegalArgumentException("columns must be distinct [a-z0-9_]+ names: " + columns);
    }
  }

  public Path file() {
    return file;
  }

  public List<String> columns() {
    return columns;
  }

  /** The data rows, each keyed by column in header order. */
  public List<Map<String, String>> read() {
    List<Map<String, String>> out = new ArrayList<>();
    for (Row r : readRows()) {
      out.add(r.values());
    }
    return out;
  }

  /** The data rows with their line numbers, so callers can report bad values precisely. */
  public List<Row> readRows() {
    byte[] bytes = readBytes();
    List<Row> ascii = plainAsciiRows(bytes);
    if (ascii != null) {
      return ascii;
    }
    String text = decode(bytes);
    List<Row> plain = plainRows(text);
    return plain != null ? plain : parsedRows(text);
  }

  /**
   * {@link #plainRows} for a table of ASCII only, cut from the bytes in one pass: no decoded copy
   * of the file and no second scan for each separator (a 20,000-row file list: ~2.3 MB). Null for
   * anything else, which the text paths then take.
   */
  List<Row> plainAsciiRows(byte[] b) {
    int n = b.length;
    if (n == 0) {
      return null;
    }
    int width = columns.size();
    List<Row> rows = new ArrayList<>();
    String[] fields = new String[width];
    int count = 0;
    int from = 0;
    int quotes = 0;
    long line = 1;
    for (int i = 0; i <= n; i++) {
      byte c = i < n ? b[i] : (byte) '\n';
      if (c == '"') {
        quotes++;
      } else if (c == ',' || c == '\n') {
        if (count == width || (c == '\n' && count == 0 && i == from)) {
          return null; // a long row or an empty line: the parser words the error
        }
        String field = asciiField(b, from, i, quotes);
        if (field == null) {
          return null;
        }
        fields[count++] = field;
        from = i + 1;
        quotes = 0;
        if (c == '\n') {
          if (!takeLine(count, line, fields, rows)) {
            return null;
          }
          fields = new String[width];
          count = 0;
          line++;
          if (i == n - 1) {
            break;
          }
        }
      } else if (c < 0 || c == '\r') {
        return null;
      }
    }
    return rows;
  }

  /** {@link #plainField} over ASCII bytes holding {@code quotes} quote characters. */
  private static String asciiField(byte[] b, int from, int to, int quotes) {
    if (quotes == 0) {
      return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
    if (quotes != 2 || to - from < 2 || b[from] != '"' || b[to - 1] != '"') {
      return null;
    }
    return new String(b, from + 1, to - from - 2, StandardCharsets.ISO_8859_1);
  }

  /** The rows as Jackson's CSV parser reads them (package-private for the plain path's test). */
  List<Row> parsedRows(String text) {
    List<Row> rows = new ArrayList<>();
    boolean headerSeen = false;
    try (CsvParser p = new CsvFactory().createParser(text)) {
      p.setSchema(CsvSchema.emptySchema());
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.START_ARRAY) {
          throw invalid(p.currentLocation().getLineNr(), "unexpected CSV structure");
        }
        long line = p.currentLocation().getLineNr();
        List<String> fields = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            throw invalid(line, "unterminated row");
          }
          fields.add(p.getText());
        }
        if (!headerSeen) {
          headerSeen = true;
          if (!fields.equals(columns)) {
            throw invalid(
                line,
                "header is '"
                    + String.join(",", fields)
                    + "', expected '"
                    + String.join(",", columns)
                    + "'");
          }
          continue;
        }
        if (fields.size() != columns.size()) {
          throw invalid(
              line, "expected " + columns.size() + " fields, found " + fields.size() + " fields");
        }
        rows.add(new Row(line, columns, fields.toArray(new String[0])));
      }
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      long line = loc == null ? 0 : loc.getLineNr();
      throw invalid(line, "malformed CSV: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!headerSeen) {
      throw invalid(1, "missing header row '" + String.join(",", columns) + "'");
    }
    return rows;
  }

  /**
   * The rows of a table without a CR, whose quotes (if any) only enclose whole fields holding no
   * quote, comma or newline, one row per line; or null to leave the text to the CSV parser. Such
   * text means the same to every CSV reader, and it is what the registries hold unless a value
   * needs quoting; a table this path cannot take whole (a bad header, a short row, an empty line)
   * goes to the parser, which also words the error.
   */
  List<Row> plainRows(String text) {
    if (text.isEmpty() || text.indexOf('\r') >= 0) {
      return null;
    }
    int width = columns.size();
    List<Row> rows = new ArrayList<>();
    int start = 0;
    long line = 1;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      if (end == start) {
        return null;
      }
      String[] fields = new String[width];
      int n = 0;
      for (int from = start; ; ) {
        int comma = text.indexOf(',', from);
        int to = comma < 0 || comma > end ? end : comma;
        if (n == width) {
          return null;
        }
        String field = plainField(text, from, to);
        if (field == null) {
          return null;
        }
        fields[n++] = field;
        if (to == end) {
          break;
        }
        from = to + 1;
      }
      if (!takeLine(n, line, fields, rows)) {
        return null;
      }
      line++;
      start = end + 1;
    }
    return rows;
  }

  /**
   * One full line of a plain read: the header must be the columns, a data line becomes a row; false
   * when the line has the wrong width or header, for the parser to word.
   */
  private boolean takeLine(int fieldCount, long line, String[] fields, List<Row> rows) {
    if (fieldCount != columns.size()) {
      return false;
    }
    if (line == 1) {
      return Arrays.asList(fields).equals(columns);
    }
    rows.add(new Row(line, columns, fields));
    return true;
  }

  /**
   * A field as is, or inside one pair of quotes with no quote, comma or newline in it (files from
   * before the direct writer quote every long value), or null when only the parser can say.
   */
  private static String plainField(String text, int from, int to) {
    // searches stay inside the field: an unbounded indexOf would scan to the next quote in the
    // file, all of the rest when no later field is quoted (quadratic in the file's size)
    int quote = indexOf(text, '"', from, to);
    if (quote < 0) {
      return text.substring(from, to);
    }
    if (quote != from || to - from < 2 || indexOf(text, '"', from + 1, to) != to - 1) {
      return null;
    }
    return text.substring(from + 1, to - 1);
  }

  private static int indexOf(String text, char ch, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == ch) {
        return i;
      }
    }
    return -1;
  }

  /** Replaces the file atomically with the header and these rows; a missing key is written "". */
  public void write(List<Map<String, String>> rows) {
    AtomicFiles.write(file, render(rows));
  }

  /**
   * The exact bytes {@link #write} would store. A field is quoted only when it holds a comma,
   * quote, CR or LF (RFC 4180), so the plain read path takes almost every registry file; Jackson's
   * writer also quoted every value over 24 characters, which both read paths still accept.
   */
  byte[] render(List<Map<String, String>> rows) {
    List<String[]> cells = new ArrayList<>(rows.size());
    for (Map<String, String> row : rows) {
      for (String key : row.keySet()) {
        if (!columns.contains(key)) {
          throw new IllegalArgumentException("column " + key + " is not in " + file);
        }
      }
      String[] values = new String[columns.size()];
      for (int c = 0; c < columns.size(); c++) {
        String v = row.get(columns.get(c));
        values[c] = v == null ? "" : v;
      }
      cells.add(values);
    }
    return renderCells(cells);
  }

  /** {@link #writeCells}, for rows given as values in column order. */
  public void writeCells(List<String[]> rows) {
    AtomicFiles.write(file, renderCells(rows));
  }

  /**
   * The exact bytes {@link #write} would store for these rows, each given as its values in column
   * order (for tables of many rows: no map per row).
   */
  public byte[] renderCells(List<String[]> rows) {
    StringBuilder sb = new StringBuilder(64 * (rows.size() + 1));
    sb.append(String.join(",", columns)).append('\n');
    for (String[] row : rows) {
      if (row.length != columns.size()) {
        throw new IllegalArgumentException(
            row.length + " values for the " + columns.size() + " columns of " + file);
      }
      for (int c = 0; c < row.length; c++) {
        if (c > 0) {
          sb.append(',');
        }
        appendField(sb, row[c]);
      }
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void appendField(StringBuilder sb, String value) {
    // an empty line would be skipped as blank, so a one-column table's empty value is quoted
    boolean quote = value.isEmpty() && columns.size() == 1;
    for (int i = 0; i < value.length() && !quote; i++) {
      char ch = value.charAt(i);
      quote = ch == ',' || ch == '"' || ch == '\r' || ch == '\n';
    }
    if (!quote) {
      sb.append(value);
      return;
    }
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      sb.append(ch);
      if (ch == '"') {
        sb.append('"');
      }
    }
    sb.append('"');
  }

  private byte[] readBytes() {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NotFoundException(file + " not found (is this an agentpkg root?)", e);
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private String decode(byte[] bytes) {
    if (isAscii(bytes)) {
      // no decoder, no UTF-16 buffer: the string is built from the bytes as they are
      return new String(bytes, StandardCharsets.US_ASCII);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new VerificationException(file + ": not valid UTF-8", e);
    }
    // Spreadsheet programs add a byte order mark; it is not part of the first column's name.
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private VerificationException invalid(long line, String what) {
    return new VerificationException(file + ":" + line + ": " + what);
  }

  /** An error about a value in a row this table read, naming file and line. */
  public VerificationException invalid(Row row, String what) {
    return invalid(row.line(), what);
  }
}

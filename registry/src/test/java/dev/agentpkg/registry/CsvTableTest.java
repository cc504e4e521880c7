package dev.agentpkg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.VerificationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CsvTableTest {
  private static final List<String> COLS = List.of("a", "b", "c");
  private FileSystem fs;
  private Path file;
  private CsvTable table;

  @BeforeEach
  void setUp() throws Exception {
    fs = TestRoots.jimfs();
    Files.createDirectories(fs.getPath("/d"));
    file = fs.getPath("/d/t.csv");
    table = new CsvTable(file, COLS);
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  @Test
  void roundTripsCommasQuotesNewlinesAndSpaces() {
    List<Map<String, String>> rows =
        List.of(
            Map.of("a", "x,y", "b", "say \"hi\"", "c", "line1\nline2\r\nline3"),
            Map.of("a", "", "b", "  padded  ", "c", "-----BEGIN PUBLIC KEY-----\nAAA=\n-----END"),
            Map.of("a", "ünïcødé ✓", "b", "#not a comment", "c", "cr\ronly"),
            Map.of("a", "tab\there", "b", "\u0001control", "c", "\"\""));
    table.write(rows);
    assertThat(table.read()).isEqualTo(rows);
  }

  @Test
  void emptyTableHasHeaderOnly() throws Exception {
    table.write(List.of());
    assertThat(Files.readString(file)).isEqualTo("a,b,c\n");
    assertThat(table.read()).isEmpty();
  }

  @Test
  void missingKeyIsWrittenEmptyAndUnknownKeyIsRefused() {
    table.write(List.of(Map.of("a", "1")));
    assertThat(table.read()).containsExactly(Map.of("a", "1", "b", "", "c", ""));
    assertThatThrownBy(() -> table.write(List.of(Map.of("zzz", "1"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wrongHeaderNamesFileAndLineAndLeavesFileUnchanged() throws Exception {
    byte[] before = "a,c,b\n1,2,3\n".getBytes(StandardCharsets.UTF_8);
    Files.write(file, before);
    assertThatThrownBy(() -> table.read())
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("/d/t.csv:1: header is 'a,c,b', expected 'a,b,c'");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void raggedRowNamesItsLineEvenAfterMultiLineValues() throws Exception {
    byte[] before = "a,b,c\n1,\"two\nlines\",3\n4,5\n".getBytes(StandardCharsets.UTF_8);
    Files.write(file, before);
    assertThatThrownBy(() -> table.read())
        .isInstanceOf(VerificationException.class)
        .hasMessage("/d/t.csv:4: expected 3 fields, found 2 fields");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void tooManyFieldsIsRefused() throws Exception {
    Files.writeString(file, "a,b,c\n1,2,3,4\n");
    assertThatThrownBy(() -> table.read()).hasMessageContaining("t.csv:2: expected 3 fields");
  }

  @Test
  void blankLineIsRefused() throws Exception {
    Files.writeString(file, "a,b,c\n1,2,3\n\n");
    assertThatThrownBy(() -> table.read()).hasMessageContaining("t.csv:3: expected 3 fields");
  }

  @Test
  void unterminatedQuoteIsAnError() throws Exception {
    Files.writeString(file, "a,b,c\n1,\"open,3\n");
    assertThatThrownBy(() -> table.read())
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("/d/t.csv:")
        .hasMessageContaining("malformed CSV");
  }

  @Test
  void emptyFileLacksHeader() throws Exception {
    Files.writeString(file, "");
    assertThatThrownBy(() -> table.read())
        .isInstanceOf(VerificationException.class)
        .hasMessage("/d/t.csv:1: missing header row 'a,b,c'");
  }

  @Test
  void invalidUtf8IsAnError() throws Exception {
    Files.write(file, new byte[] {'a', ',', 'b', ',', 'c', '\n', (byte) 0xC3, '(', ',', ',', '\n'});
    assertThatThrownBy(() -> table.read())
        .isInstanceOf(VerificationException.class)
        .hasMessage("/d/t.csv: not valid UTF-8");
  }

  @Test
  void byteOrderMarkIsTolerated() throws Exception {
    Files.writeString(file, "\uFEFFa,b,c\n1,2,3\n");
    assertThat(table.read()).containsExactly(Map.of("a", "1", "b", "2", "c", "3"));
  }

  @Test
  void missingFileIsNotFoundNamingIt() {
    assertThatThrownBy(() -> table.read())
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("/d/t.csv");
  }

  @Test
  void rowsCarryLineNumbersForCallerErrors() throws Exception {
    Files.writeString(file, "a,b,c\n\"x\ny\",1,2\nz,3,4\n");
    List<CsvTable.Row> rows = table.readRows();
    assertThat(rows).extracting(CsvTable.Row::line).containsExactly(2L, 4L);
    assertThat(table.invalid(rows.get(1), "bad b")).hasMessage("/d/t.csv:4: bad b");
  }

  @Test
  void writeReplacesAtomicallyAndLeavesNoTempFiles() throws Exception {
    table.write(List.of(Map.of("a", "1")));
    table.write(List.of(Map.of("a", "2")));
    try (Stream<Path> s = Files.list(fs.getPath("/d"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("t.csv");
    }
    assertThat(table.read()).containsExactly(Map.of("a", "2", "b", "", "c", ""));
  }

  /**
   * Whatever the quote-free fast path accepts, it reads exactly as the CSV parser does: seeded
   * random tables of commas, quotes, newlines, spaces, '#' and non-ASCII text, valid and not.
   */
  @Test
  void plainPathReadsWhatTheParserReads() {
    java.util.Random random = new java.util.Random(7);
    String alphabet = "abcdefgh,\n #\u00e9\t\"";
    int accepted = 0;
    int asciiAccepted = 0;
    int quoted = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder sb = new StringBuilder(random.nextInt(8) == 0 ? "a,c,b\n" : "a,b,c\n");
      for (int row = random.nextInt(4); row > 0; row--) {
        int width = random.nextInt(10) == 0 ? 2 + random.nextInt(3) : 3;
        for (int f = 0; f < width; f++) {
          if (f > 0) {
            sb.append(',');
          }
          boolean quote = random.nextBoolean();
          sb.append(quote ? "\"" : "");
          for (int j = random.nextInt(6); j > 0; j--) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
          }
          sb.append(quote ? "\"" : "");
        }
        sb.append(random.nextInt(10) == 0 ? "" : "\n");
      }
      String text = sb.toString();
      List<CsvTable.Row> plain = table.plainRows(text);
      List<CsvTable.Row> ascii = table.plainAsciiRows(text.getBytes(StandardCharsets.UTF_8));
      if (ascii != null) {
        // the byte path takes a subset of what the text path takes, and reads it the same
        assertThat(plain).as(text).isNotNull();
        asciiAccepted++;
        assertThat(ascii.stream().map(CsvTable.Row::values).toList())
            .as(text)
            .isEqualTo(plain.stream().map(CsvTable.Row::values).toList());
        assertThat(ascii.stream().map(CsvTable.Row::line).toList())
            .as(text)
            .isEqualTo(plain.stream().map(CsvTable.Row::line).toList());
      }
      if (plain == null) {
        continue;
      }
      accepted++;
      if (text.indexOf('"') >= 0) {
        quoted++;
      }
      List<CsvTable.Row> parsed = table.parsedRows(text);
      assertThat(plain).as(text).hasSameSizeAs(parsed);
      for (int r = 0; r < plain.size(); r++) {
        assertThat(plain.get(r).line()).as(text).isEqualTo(parsed.get(r).line());
        assertThat(plain.get(r).values()).as(text).isEqualTo(parsed.get(r).values());
      }
    }
    assertThat(accepted).isGreaterThan(1_000);
    assertThat(asciiAccepted).isGreaterThan(500);
    assertThat(quoted).isGreaterThan(100);
  }

  /** Seeded random rows of every awkward character: both read paths give back what was written. */
  @Test
  void writtenRowsReadBackOnBothPaths() {
    java.util.Random random = new java.util.Random(11);
    String alphabet = "ab,\n\r #\u00e9\t\" -";
    for (int i = 0; i < 20_000; i++) {
      List<Map<String, String>> rows = new java.util.ArrayList<>();
      for (int r = random.nextInt(4); r > 0; r--) {
        Map<String, String> row = new java.util.LinkedHashMap<>();
        for (String c : COLS) {
          StringBuilder v = new StringBuilder();
          for (int j = random.nextInt(random.nextInt(10) == 0 ? 40 : 6); j > 0; j--) {
            v.append(alphabet.charAt(random.nextInt(alphabet.length())));
          }
          row.put(c, v.toString());
        }
        rows.add(row);
      }
      String text = new String(table.render(rows), StandardCharsets.UTF_8);
      List<Map<String, String>> parsed =
          table.parsedRows(text).stream().map(CsvTable.Row::values).toList();
      assertThat(parsed).as(text).isEqualTo(rows);
      List<CsvTable.Row> plain = table.plainRows(text);
      if (plain != null) {
        assertThat(plain.stream().map(CsvTable.Row::values).toList()).as(text).isEqualTo(rows);
      }
      List<CsvTable.Row> ascii = table.plainAsciiRows(text.getBytes(StandardCharsets.UTF_8));
      if (ascii != null) {
        assertThat(ascii.stream().map(CsvTable.Row::values).toList()).as(text).isEqualTo(rows);
      }
    }
  }

  @Test
  void quotesOnlyWhatNeedsIt() {
    String text =
        new String(
            table.render(List.of(Map.of("a", "x".repeat(64), "b", "say \"hi\"", "c", "a,b"))),
            StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("a,b,c\n" + "x".repeat(64) + ",\"say \"\"hi\"\"\",\"a,b\"\n");
  }

  /**
   * Not a speed claim: a guard against quadratic reading. 100,000 unquoted rows read in well under
   * a second; a search that scans to the end of the file per field would take hours.
   */
  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aLargeUnquotedTableReadsInLinearTime() {
    List<Map<String, String>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      rows.add(Map.of("a", "modules/x/f" + i, "b", "0".repeat(64), "c", Integer.toString(i)));
    }
    String text = new String(table.render(rows), StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\"");
    List<CsvTable.Row> read = table.plainRows(text);
    assertThat(read).hasSize(100_000);
    assertThat(read.get(99_999).values()).isEqualTo(rows.get(99_999));
    List<CsvTable.Row> ascii = table.plainAsciiRows(text.getBytes(StandardCharsets.UTF_8));
    assertThat(ascii).hasSize(100_000);
    assertThat(ascii.get(99_999).values()).isEqualTo(rows.get(99_999));
  }
}

package dev.agentpkg.integrity.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ledger file {@code ledger/governance.jsonl}. Appending reads only the file's tail, so its
 * cost does not grow with the ledger's history. The caller holds the root lock for appends.
 */
public final class LedgerFile {
  // A ledger line is a few hundred bytes; this bounds what a corrupt file can make us buffer.
  static final int MAX_LINE = 4 * 1024 * 1024;
  private static final int CHUNK = 8 * 1024;
  private static final String BROKEN_TAIL =
      "ledger is broken at its last entry; run agentpkg ledger verify";

  private final Path file;
  private final Clock clock;

  public LedgerFile(Path ledgerJsonl, Clock clock) {
    this.file = Objects.requireNonNull(ledgerJsonl, "ledgerJsonl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Path path() {
    return file;
  }

  /**
   * Appends one entry chained to the current last entry and fsyncs it. Refuses when the last line
   * does not parse or its hash does not recompute, since chaining onto it would hide the damage.
   */
  public LedgerEntry append(
      String event, LedgerActor actor, LedgerPackage pkg, ObjectNode details) {
    Tail tail = readTail();
    LedgerEntry previous = null;
    if (tail != null) {
      previous = parseTail(tail.line());
      if (!previous.computeHash().equals(previous.hash())) {
        throw new VerificationException(
            BROKEN_TAIL + " (entry " + previous.seq() + " does not match its hash)");
      }
    }
    LedgerEntry entry = LedgerEntry.next(previous, clock.instant(), event, actor, pkg, details);
    // A last line without its newline (hand-edited) must not get our entry glued onto it.
    String text = (tail != null && !tail.endsWithNewline() ? "\n" : "") + entry.toJsonLine() + "\n";
    boolean created = !Files.exists(file);
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException e) {
      throw new StorageException("cannot append to ledger " + file + ": " + e.getMessage(), e);
    }
    if (created) {
      syncParentDirectory();
    }
    return entry;
  }

  /** All lines, UTF-8, as {@link BufferedReader#readLine()} splits them. */
  public List<String> readLines() {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = reader()) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    } catch (NoSuchFileException e) {
      throw new NotFoundException("ledger not found: " + file, e);
    } catch (IOException e) {
      throw new StorageException("cannot read ledger " + file + ": " + e.getMessage(), e);
    }
    return lines;
  }

  /** The last entry, read from the file's tail; empty for an absent or empty ledger. */
  public Optional<LedgerEntry> last() {
    Tail tail = readTail();
    return tail == null ? Optional.empty() : Optional.of(parseTail(tail.line()));
  }

  /**
   * Verifies the whole chain, streaming the file in constant memory. Unlike {@link
   * LedgerVerifier#verify}, a blank line at the very end is reported too: the file is read as
   * {@link #readLines()} splits it, where a final newline gives no empty element.
   */
  public LedgerReport verify(Optional<LedgerHead> recordedHead) {
    ChainChecker checker = new ChainChecker(recordedHead);
    try (BufferedReader r = reader()) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!checker.accept(line)) {
          break;
        }
      }
    } catch (NoSuchFileException e) {
      throw new NotFoundException("ledger not found: " + file, e);
    } catch (IOException e) {
      throw new StorageException("cannot read ledger " + file + ": " + e.getMessage(), e);
    }
    return checker.finish();
  }

  private BufferedReader reader() throws IOException {
    // Invalid UTF-8 becomes U+FFFD, so the damaged entry fails its hash instead of aborting the
    // read.
    return new BufferedReader(
        new InputStreamReader(
            Files.newInputStream(file),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)));
  }

  private static LedgerEntry parseTail(String line) {
    try {
      return LedgerEntry.parse(line);
    } catch (AgentpkgException e) {
      throw new VerificationException(BROKEN_TAIL + " (" + e.getMessage() + ")", e);
    }
  }

  /** The last line of the file and whether a newline ends it. */
  record Tail(String line, boolean endsWithNewline) {}

  /** Reads backwards from the end to the newline before the last line; null if there is none. */
  Tail readTail() {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        return null;
      }
      boolean newline = byteAt(ch, size - 1) == '\n';
      long end = newline ? size - 1 : size;
      long start = 0;
      ByteBuffer buf = ByteBuffer.allocate(CHUNK);
      search:
      for (long pos = end; pos > 0; ) {
        if (end - pos > MAX_LINE) {
          throw new VerificationException(
              BROKEN_TAIL + " (last line is longer than " + MAX_LINE + " bytes)");
        }
        int n = (int) Math.min(CHUNK, pos);
        long from = pos - n;
        buf.clear().limit(n);
        readFully(ch, buf, from);
        for (int i = n - 1; i >= 0; i--) {
          if (buf.get(i) == '\n') {
            start = from + i + 1;
            break search;
          }
        }
        pos = from;
      }
      if (end - start > MAX_LINE) {
        throw new VerificationException(
            BROKEN_TAIL + " (last line is longer than " + MAX_LINE + " bytes)");
      }
      ByteBuffer line = ByteBuffer.allocate((int) (end - start));
      readFully(ch, line, start);
      return new Tail(new String(line.array(), StandardCharsets.UTF_8), newline);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new StorageException("cannot read ledger " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte byteAt(FileChannel ch, long pos) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    readFully(ch, one, pos);
    return one.get(0);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, p);
      if (r < 0) {
        throw new IOException("unexpected end of file at byte " + p);
      }
      p += r;
    }
  }

  /** Makes a newly created ledger's directory entry durable; best effort where unsupported. */
  private void syncParentDirectory() {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some file systems (and Jimfs) cannot open directories; the file itself was fsync'd.
    }
  }
}

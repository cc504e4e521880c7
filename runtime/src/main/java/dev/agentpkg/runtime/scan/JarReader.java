package dev.agentpkg.runtime.scan;

import dev.agentpkg.core.StorageException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Streams a jar's entries with bounds, so a hostile jar costs bounded memory and time. Reads
 * through {@link Files#newInputStream} (not {@code JarFile}) so any file system provider works.
 */
final class JarReader {
  static final int MAX_ENTRIES = 100_000;
  static final int MAX_CONTENT = 16 * 1024 * 1024;
  static final long MAX_TOTAL = 1024L * 1024 * 1024;
  private static final int END_RECORD = 22;

  interface Handler {
    /** Whether {@link #entry} needs the content of this (non-directory) entry. */
    boolean wantsContent(String name);

    /**
     * @param content the bytes when {@link #wantsContent} said so, else {@code null}
     */
    void entry(String name, byte[] content);
  }

  /** Thrown inside the read loop when the jar breaks a bound or the zip format. */
  static final class MalformedJarException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedJarException(String message) {
      super(message);
    }
  }

  private JarReader() {}

  /**
   * Calls {@code handler} for each non-directory entry in stream order.
   *
   * @throws MalformedJarException when the jar is not a readable, bounded zip archive; entries
   *     before the fault have been handed over
   * @throws StorageException when the file cannot be read
   */
  static void read(CodeJar jar, Handler handler) throws MalformedJarException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(jar.file()))) {
      requireZipStart(raw);
      try (ZipInputStream zip = new ZipInputStream(raw)) {
        List<ZipEntry> seen = new ArrayList<>();
        long total = 0;
        byte[] skip = new byte[8192];
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          seen.add(entry);
          if (seen.size() > MAX_ENTRIES) {
            throw new MalformedJarException("more than " + MAX_ENTRIES + " entries");
          }
          if (entry.isDirectory()) {
            continue;
          }
          String name = entry.getName();
          if (handler.wantsContent(name)) {
            byte[] content = readBounded(zip, name);
            total += content.length;
            handler.entry(name, content);
          } else {
            int n;
            while ((n = zip.read(skip)) > 0) {
              total += n;
              if (total > MAX_TOTAL) {
                break;
              }
            }
            handler.entry(name, null);
          }
          if (total > MAX_TOTAL) {
            throw new MalformedJarException("more than " + MAX_TOTAL + " bytes uncompressed");
          }
        }
        // every entry has been read to its end, so sizes and CRCs are known
        matchCentralDirectory(jar.file(), seen);
      }
    } catch (ZipException | EOFException | IllegalArgumentException e) {
      throw new MalformedJarException("not a readable zip archive: " + e.getMessage());
    } catch (IOException e) {
      throw new StorageException("cannot read jar " + jar.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A zip whose first bytes are not a local file header reads as empty through a stream, while a
   * class loader (reading the central directory) would still find its classes, e.g. behind a
   * prepended launcher script. Refuse it rather than call it empty.
   */
  private static void requireZipStart(InputStream in) throws IOException, MalformedJarException {
    in.mark(4);
    byte[] head = in.readNBytes(4);
    in.reset();
    byte[] local = {'P', 'K', 3, 4};
    byte[] empty = {'P', 'K', 5, 6};
    if (!Arrays.equals(head, local) && !Arrays.equals(head, empty)) {
      throw new MalformedJarException("does not start with a zip local file header");
    }
  }

  /**
   * A class loader finds entries through the central directory, this reader through the local
   * headers in order. Both must describe the same entries at the same places, or a class could be
   * hidden from the scan (behind junk that ends the stream early, or inside another entry's data)
   * and still be loaded.
   */
  private static void matchCentralDirectory(Path file, List<ZipEntry> seen)
      throws IOException, MalformedJarException {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      int tailLength = (int) Math.min(size, END_RECORD + 0xFFFF);
      ByteBuffer tail = read(channel, size - tailLength, tailLength);
      int end = -1;
      for (int i = tailLength - END_RECORD; i >= 0; i--) {
        if (tail.getInt(i) == 0x06054b50 && i + END_RECORD + u16(tail, i + 20) == tailLength) {
          end = i;
          break;
        }
      }
      if (end < 0) {
        throw new MalformedJarException("no zip end of central directory record");
      }
      int total = u16(tail, end + 10);
      long directorySize = u32(tail, end + 12);
      long directoryOffset = u32(tail, end + 16);
      if (total == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL) {
        throw new MalformedJarException("zip64 archives are not supported");
      }
      if (u16(tail, end + 4) != 0 || u16(tail, end + 6) != 0 || u16(tail, end + 8) != total) {
        throw new MalformedJarException("multi-disk zip archives are not supported");
      }
      if (directoryOffset + directorySize != size - tailLength + end
          || directorySize > MAX_CONTENT * 4L) {
        throw new MalformedJarException("central directory is not where its end record says");
      }
      if (total != seen.size()) {
        throw new MalformedJarException(
            "central directory lists " + total + " entries, the archive holds " + seen.size());
      }
      ByteBuffer directory = read(channel, directoryOffset, (int) directorySize);
      long expected = 0;
      int at = 0;
      for (ZipEntry entry : seen) {
        if (at + 46 > directorySize || directory.getInt(at) != 0x02014b50) {
          throw new MalformedJarException("central directory is damaged at " + entry.getName());
        }
        long crc = u32(directory, at + 16);
        long compressed = u32(directory, at + 20);
        int nameLength = u16(directory, at + 28);
        long offset = u32(directory, at + 42);
        int next = at + 46 + nameLength + u16(directory, at + 30) + u16(directory, at + 32);
        if (next > directorySize) {
          throw new MalformedJarException("central directory is damaged at " + entry.getName());
        }
        byte[] name = new byte[nameLength];
        directory.get(at + 46, name);
        at = next;
        if (offset != expected
            || !new String(name, StandardCharsets.UTF_8).equals(entry.getName())
            || compressed != entry.getCompressedSize()
            || crc != entry.getCrc()) {
          throw new MalformedJarException(
              "central directory and local entries disagree at " + entry.getName());
        }
        ByteBuffer local = read(channel, offset, 30);
        expected = offset + 30 + u16(local, 26) + u16(local, 28) + compressed;
        if ((u16(local, 6) & 8) != 0) {
          expected += read(channel, expected, 4).getInt(0) == 0x08074b50 ? 16 : 12;
        }
      }
      if (expected != directoryOffset) {
        throw new MalformedJarException("data between the last entry and the central directory");
      }
    }
  }

  private static ByteBuffer read(SeekableByteChannel channel, long position, int length)
      throws IOException, MalformedJarException {
    if (position < 0 || position + length > channel.size()) {
      throw new MalformedJarException("zip structure points outside the file");
    }
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    channel.position(position);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new MalformedJarException("zip structure points outside the file");
      }
    }
    return buffer.flip();
  }

  private static int u16(ByteBuffer buffer, int index) {
    return buffer.getShort(index) & 0xFFFF;
  }

  private static long u32(ByteBuffer buffer, int index) {
    return buffer.getInt(index) & 0xFFFFFFFFL;
  }

  private static byte[] readBounded(InputStream in, String name)
      throws IOException, MalformedJarException {
    byte[] content = in.readNBytes(MAX_CONTENT + 1);
    if (content.length > MAX_CONTENT) {
      throw new MalformedJarException(name + " is larger than " + MAX_CONTENT + " bytes");
    }
    return content;
  }
}

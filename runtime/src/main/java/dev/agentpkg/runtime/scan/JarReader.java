package dev.agentpkg.runtime.scan;

import dev.agentpkg.core.StorageException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
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
        int entries = 0;
        long total = 0;
        byte[] skip = new byte[8192];
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          if (++entries > MAX_ENTRIES) {
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
      }
    } catch (ZipException | EOFException e) {
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

  private static byte[] readBounded(InputStream in, String name)
      throws IOException, MalformedJarException {
    byte[] content = in.readNBytes(MAX_CONTENT + 1);
    if (content.length > MAX_CONTENT) {
      throw new MalformedJarException(name + " is larger than " + MAX_CONTENT + " bytes");
    }
    return content;
  }
}

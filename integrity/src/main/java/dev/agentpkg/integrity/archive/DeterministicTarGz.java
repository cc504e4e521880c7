package dev.agentpkg.integrity.archive;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a package archive whose bytes depend only on the entries given: POSIX tar (PAX headers for
 * long names and big sizes), owner 0/0 with empty names, one fixed mtime, mode 0644 or 0755, inside
 * one gzip member from {@link ParallelGzipOutputStream}. The caller decides the entry order.
 */
public final class DeterministicTarGz implements Closeable {
  static final int GZIP_LEVEL = 6;

  /** The largest mtime a ustar header holds in octal; beyond it a PAX record would appear. */
  private static final long MAX_OCTAL_MTIME = 077777777777L;

  private static final int COPY_BUFFER = 64 * 1024;

  /** GNU tar's default record (blocking factor 20); set explicitly so the padding never drifts. */
  static final int RECORD_SIZE = 10240;

  private final ParallelGzipOutputStream gzip;
  private final TarArchiveOutputStream tar;
  private final FileTime mtime;
  private final Set<String> paths = new HashSet<>();
  private boolean closed;
  private String failedPath;

  public DeterministicTarGz(OutputStream out, long mtimeEpochSeconds, int threads) {
    Objects.requireNonNull(out, "out");
    if (mtimeEpochSeconds < 0 || mtimeEpochSeconds > MAX_OCTAL_MTIME) {
      throw new IllegalArgumentException("mtime out of range: " + mtimeEpochSeconds);
    }
    this.mtime = FileTime.from(mtimeEpochSeconds, TimeUnit.SECONDS);
    this.gzip = new ParallelGzipOutputStream(out, GZIP_LEVEL, threads);
    // Explicit UTF-8: the default would follow the platform's file.encoding.
    this.tar = new TarArchiveOutputStream(gzip, RECORD_SIZE, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  public void addFile(String path, int mode, byte[] content) throws IOException {
    addFile(path, mode, content.length, new ByteArrayInputStream(content));
  }

  /**
   * Adds a regular file whose content is exactly the next {@code size} bytes of {@code content}.
   */
  public void addFile(String path, int mode, long size, InputStream content) throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(content, "content");
    if (closed) {
      throw new IOException("archive already closed");
    }
    if (failedPath != null) {
      throw new IOException("archive is incomplete: adding '" + failedPath + "' failed");
    }
    if (mode != 0644 && mode != 0755) {
      throw new IllegalArgumentException(
          "archive entry '"
              + path
              + "': mode must be 0644 or 0755, got 0"
              + Integer.toOctalString(mode));
    }
    if (size < 0) {
      throw new IllegalArgumentException("archive entry '" + path + "': negative size " + size);
    }
    String unsafe = ArchivePaths.unsafeReason(path);
    if (unsafe != null) {
      throw new IllegalArgumentException(
          "archive entry '" + path + "': unsafe path (" + unsafe + ")");
    }
    if (!paths.add(path)) {
      throw new IllegalArgumentException("archive entry '" + path + "': duplicate path");
    }
    // preserveAbsolutePath=true stops commons-compress from rewriting the (already safe) name.
    TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_NORMAL, true);
    entry.setMode(mode);
    entry.setSize(size);
    entry.setModTime(mtime);
    entry.setUserId(0L);
    entry.setGroupId(0L);
    entry.setUserName("");
    entry.setGroupName("");
    failedPath = path; // cleared only once the entry is complete
    tar.putArchiveEntry(entry);
    copyExactly(path, content, size);
    tar.closeArchiveEntry();
    failedPath = null;
  }

  private void copyExactly(String path, InputStream content, long size) throws IOException {
    byte[] buf = new byte[(int) Math.min(COPY_BUFFER, Math.max(1, size))];
    long remaining = size;
    while (remaining > 0) {
      int n = content.read(buf, 0, (int) Math.min(buf.length, remaining));
      if (n < 0) {
        throw new IOException(
            "archive entry '"
                + path
                + "': content ended after "
                + (size - remaining)
                + " of "
                + size
                + " bytes");
      }
      tar.write(buf, 0, n);
      remaining -= n;
    }
    if (content.read() >= 0) {
      throw new IOException(
          "archive entry '" + path + "': content is longer than " + size + " bytes");
    }
  }

  /**
   * Writes the tar end (two zero blocks, padded to the record size) and ends the gzip member. After
   * a failed {@code addFile} it only releases resources and throws: the output is not an archive.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (failedPath != null) {
      gzip.close();
      throw new IOException("archive is incomplete: adding '" + failedPath + "' failed");
    }
    try {
      tar.close(); // finishes the tar and closes the gzip stream beneath it
    } finally {
      gzip.close(); // idempotent; releases the compression threads if tar.close() failed
    }
  }
}

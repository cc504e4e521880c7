package dev.agentpkg.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Temp file + fsync + rename + directory fsync: a reader sees the old file or the new one, never a
 * partial one, and the new one survives a crash once this returns.
 */
public final class AtomicFiles {
  private static final Set<PosixFilePermission> DEFAULT_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  /** Replaces {@code file} with {@code bytes}; the file keeps its mode (0644 if new). */
  public static void write(Path file, byte[] bytes) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      keepMode(file, tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      rename(tmp, file);
      tmp = null;
    } catch (IOException e) {
      throw new StorageException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write already failed; a stray temp file is harmless and named after its target
        }
      }
    }
  }

  /** Publishes a finished temp file under its final name, durably. */
  public static void moveIntoPlace(Path temp, Path target) throws IOException {
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    rename(temp, target);
  }

  private static void rename(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    fsyncDirectory(target.toAbsolutePath().getParent());
  }

  /** Makes a rename durable; not every file system can open a directory, which is fine. */
  public static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Jimfs and non-POSIX file systems cannot fsync a directory; there is nothing more to do.
    }
  }

  /** createTempFile makes a 0600 file; the replaced file keeps the mode it had (0644 if new). */
  private static void keepMode(Path target, Path tmp) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> mode = DEFAULT_MODE;
    if (Files.exists(target)) {
      mode = Files.getPosixFilePermissions(target);
    }
    view.setPermissions(mode);
  }
}

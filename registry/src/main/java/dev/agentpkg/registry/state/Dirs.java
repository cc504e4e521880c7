package dev.agentpkg.registry.state;

import dev.agentpkg.core.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Directory creation and file removal made durable, like the atomic writes beside them. */
final class Dirs {
  private Dirs() {}

  /** Creates {@code dir} when missing (roots made before it existed lack it). */
  static void ensure(Path dir) {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    fsync(dir.toAbsolutePath().getParent());
  }

  /** Deletes {@code file} if present; true when it was there. */
  static boolean delete(Path file) {
    boolean deleted;
    try {
      deleted = Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new StorageException("cannot delete " + file + ": " + e.getMessage(), e);
    }
    if (deleted) {
      fsync(file.toAbsolutePath().getParent());
    }
    return deleted;
  }

  static void fsync(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Jimfs and non-POSIX file systems cannot fsync a directory; there is nothing more to do.
    }
  }
}

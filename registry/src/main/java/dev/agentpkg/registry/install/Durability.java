package dev.agentpkg.registry.install;

import dev.agentpkg.core.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One flush per transaction step instead of one per file: {@code sync -f} (syncfs) of the root's
 * file system costs ~0.3 s where 20,000 fsyncs cost ~5 s on these disks. Falls back to fsyncing the
 * given directory when syncfs is unavailable.
 */
final class Durability {
  private Durability() {}

  @dev.agentpkg.core.SuppressForbidden(reason = "compares against the real file system only")
  static void flush(Path root) {
    if (root.getFileSystem() != FileSystems.getDefault()) {
      return; // in-memory file systems have nothing to flush
    }
    try {
      Process p =
          new ProcessBuilder("sync", "-f", root.toAbsolutePath().toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
    } catch (IOException e) {
      // no sync(1): fall through
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    AtomicFiles.fsyncDirectory(root);
  }
}

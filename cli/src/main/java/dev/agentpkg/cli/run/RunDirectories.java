package dev.agentpkg.cli.run;

import dev.agentpkg.core.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The private {@code .agentpkg/run/<run id>/} directories. Runs do not hold the root lock while the
 * module works, so a directory cannot be judged by age; each records the pid that owns it, and one
 * whose process is gone (a CLI that was killed) is removed by the next run.
 */
final class RunDirectories {
  static final String OWNER = "pid";

  private RunDirectories() {}

  static void claim(Path runDir) {
    try {
      Files.writeString(
          runDir.resolve(OWNER),
          Long.toString(ProcessHandle.current().pid()),
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new StorageException(
          "cannot write " + runDir.resolve(OWNER) + ": " + e.getMessage(), e);
    }
  }

  /** Removes run directories whose owning process no longer exists (or that never recorded one). */
  static void clearAbandoned(Path runsDir) {
    if (!Files.isDirectory(runsDir)) {
      return;
    }
    List<Path> dirs;
    try (Stream<Path> s = Files.list(runsDir)) {
      dirs = s.toList();
    } catch (IOException e) {
      return; // best effort: an abandoned directory holds nothing anyone reads
    }
    for (Path dir : dirs) {
      if (!ownerAlive(dir)) {
        delete(dir);
      }
    }
  }

  private static boolean ownerAlive(Path dir) {
    try {
      long pid =
          Long.parseLong(Files.readString(dir.resolve(OWNER), StandardCharsets.US_ASCII).trim());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort, as above
                }
              });
    } catch (IOException e) {
      // best effort, as above
    }
  }
}

package dev.agentpkg.registry.install;

import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.manifest.PathRules;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The file operations of a journal, each idempotent so a crashed transaction can be replayed
 * forward or backward from wherever it stopped. All renames stay inside the root's file system.
 */
final class Moves {
  private Moves() {}

  /** Moves what the transaction replaces or removes into {@code old/}. */
  static void backup(Path root, Path oldDir, List<String> paths) {
    for (String p : paths) {
      Path saved = oldDir.resolve(p);
      Path live = root.resolve(p);
      if (!exists(saved) && exists(live)) {
        rename(live, saved);
      }
    }
  }

  /** Renames staged units (files, or whole new directories) into the root. */
  static void moveIn(Path root, Path newDir, List<String> units, CrashPoints crash) {
    boolean first = true;
    for (String u : units) {
      Path staged = newDir.resolve(u);
      if (exists(staged)) {
        Path live = root.resolve(u);
        requireRealDirectories(root, live.getParent());
        rename(staged, live);
        if (first) {
          crash.reached(CrashPoints.AFTER_FIRST_MOVE);
          first = false;
        }
      }
    }
  }

  /** Undoes {@link #moveIn}: puts installed units back into staging. */
  static void moveOut(Path root, Path newDir, List<String> units) {
    for (int i = units.size() - 1; i >= 0; i--) {
      Path live = root.resolve(units.get(i));
      Path staged = newDir.resolve(units.get(i));
      if (!exists(staged) && exists(live)) {
        rename(live, staged);
      }
    }
  }

  /** Undoes {@link #backup}. */
  static void restore(Path root, Path oldDir, List<String> paths) {
    for (String p : paths) {
      Path saved = oldDir.resolve(p);
      Path live = root.resolve(p);
      if (exists(saved) && !exists(live)) {
        requireRealDirectories(root, live.getParent());
        rename(saved, live);
      }
    }
  }

  /** Removes directories left empty by removed files, up to (not including) the root. */
  static void pruneEmptyParents(Path root, List<String> removedPaths) {
    for (String p : removedPaths) {
      Path dir = root.resolve(p).getParent();
      while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
        String top = root.relativize(dir).getName(0).toString();
        if (PathRules.RESERVED_DIRS.contains(top)) {
          break;
        }
        try {
          Files.delete(dir);
        } catch (DirectoryNotEmptyException | java.nio.file.NoSuchFileException e) {
          break;
        } catch (IOException e) {
          break;
        }
        dir = dir.getParent();
      }
    }
  }

  static boolean exists(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Refuses to write through a symbolic link: every existing directory between the root and the
   * target must be a real directory, or a link planted in the root could redirect the write.
   */
  static void requireRealDirectories(Path root, Path dir) {
    for (Path d = dir; d != null && !d.equals(root) && d.startsWith(root); d = d.getParent()) {
      if (Files.isSymbolicLink(d)) {
        throw new dev.agentpkg.core.ConflictException(
            "refusing to write through symbolic link " + root.relativize(d) + " in the root");
      }
      if (exists(d) && !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        throw new dev.agentpkg.core.ConflictException(
            root.relativize(d) + " in the root is a file where a directory is needed");
      }
    }
  }

  private static void rename(Path from, Path to) {
    if (exists(to)) {
      // rename(2) would silently replace it; the plan said it was free, so the root changed
      throw new StorageException(
          "refusing to overwrite " + to + ", which appeared during the transaction");
    }
    try {
      Files.createDirectories(to.getParent());
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to);
      }
    } catch (IOException e) {
      throw new StorageException("cannot move " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }
}

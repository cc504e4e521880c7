package dev.agentpkg.registry.install;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * What exists in the root along a package's paths, looked up once per directory: a 20,000-file
 * package spans about a thousand directories, and asking the file system for every file's every
 * ancestor cost ~200,000 failed stat calls (each a Java exception) before this cache.
 */
final class RootProbe {
  enum Kind {
    ABSENT,
    DIRECTORY,
    FILE,
    LINK,
    OTHER
  }

  private final Path root;
  private final Map<String, Kind> kinds = new HashMap<>();

  RootProbe(Path root) {
    this.root = root;
  }

  /** The kind of a root-relative path; under a missing directory nothing is asked of the disk. */
  Kind kind(String rel) {
    Kind known = kinds.get(rel);
    if (known != null) {
      return known;
    }
    int slash = rel.lastIndexOf('/');
    Kind kind;
    if (slash > 0 && kind(rel.substring(0, slash)) != Kind.DIRECTORY) {
      kind = Kind.ABSENT; // its parent is missing, or is something requireRealDirectories refuses
    } else {
      kind = stat(root.resolve(rel));
    }
    kinds.put(rel, kind);
    return kind;
  }

  boolean exists(String rel) {
    return kind(rel) != Kind.ABSENT;
  }

  /** Refuses a path whose existing ancestors include a symbolic link or a non-directory. */
  void requireRealDirectories(String rel) {
    for (int i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
      String dir = rel.substring(0, i);
      switch (kind(dir)) {
        case LINK ->
            throw new ConflictException(
                "refusing to write through symbolic link " + dir + " in the root");
        case FILE, OTHER ->
            throw new ConflictException(dir + " in the root is a file where a directory is needed");
        case ABSENT -> {
          return; // nothing below a missing directory exists yet
        }
        default -> {
          // a real directory: look further down
        }
      }
    }
  }

  private static Kind stat(Path p) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isSymbolicLink()
          ? Kind.LINK
          : a.isDirectory() ? Kind.DIRECTORY : a.isRegularFile() ? Kind.FILE : Kind.OTHER;
    } catch (NoSuchFileException e) {
      return Kind.ABSENT;
    } catch (IOException e) {
      throw new StorageException("cannot inspect " + p + ": " + e.getMessage(), e);
    }
  }
}

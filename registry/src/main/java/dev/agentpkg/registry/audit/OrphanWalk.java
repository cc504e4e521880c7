package dev.agentpkg.registry.audit;

import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.manifest.PathRules;
import dev.agentpkg.registry.state.OwnedFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds every file, link or special file under the root, hidden ones too, that no package owns; the
 * reserved top-level directories are the root's own. An owned name is not even looked at here: the
 * re-hash reads its attributes anyway, and one stat less per file is most of a 20,000-file walk. An
 * owned path the re-hash found to be a directory is walked afterwards with {@link #walkReplaced},
 * since whatever lies inside it is stray.
 */
final class OrphanWalk {
  private final Path root;
  // an entry's path as a string starts with this, its path under the root follows
  private final String rootPrefix;
  private final Set<String> owned = new HashSet<>();
  private final List<Finding> findings = new ArrayList<>();
  private long scanned;

  OrphanWalk(Path root, Collection<List<OwnedFile>> lists) {
    this.root = root;
    String sep = root.getFileSystem().getSeparator();
    String r = root.toString();
    // null where separators are not '/': there the relative path is built from the names
    this.rootPrefix = !sep.equals("/") ? null : r.endsWith(sep) ? r : r + sep;
    lists.forEach(files -> files.forEach(f -> owned.add(f.path())));
  }

  void walkRoot() {
    walk(root, "", true);
  }

  /** Everything inside {@code rel}, an owned file that is now a directory, is an orphan. */
  void walkReplaced(String rel) {
    Path p = root.resolve(rel);
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      walk(p, rel + "/", false);
    }
  }

  /** The orphans found, by path. */
  List<Finding> findings() {
    List<Finding> out = new ArrayList<>(findings);
    out.sort(Comparator.comparing(Finding::path, PathRules.UTF8_ORDER));
    return out;
  }

  /** Entries looked at that are not directories, owned ones included. */
  long scanned() {
    return scanned;
  }

  /**
   * The entry's path under the root, '/'-separated, cut from the entry's own string where that
   * starts with the root's: asking for the file name builds and decodes a second path per entry.
   */
  private String relative(Path entry, String prefix) {
    String full = entry.toString();
    if (rootPrefix != null && full.startsWith(rootPrefix)) {
      String rel = full.substring(rootPrefix.length());
      if (rel.startsWith(prefix)) {
        return rel;
      }
    }
    return prefix.concat(entry.getFileName().toString());
  }

  private void walk(Path dir, String prefix, boolean top) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String rel = relative(p, prefix);
        if (owned.contains(rel)) {
          scanned++;
          continue;
        }
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (attrs.isDirectory()) {
          if (!(top && PathRules.RESERVED_DIRS.contains(rel))) {
            walk(p, rel + "/", false);
          }
          continue;
        }
        scanned++;
        String what =
            attrs.isSymbolicLink() ? "symbolic link" : attrs.isOther() ? "special file" : "file";
        findings.add(
            Finding.ofPath(
                Finding.ORPHAN,
                null,
                rel,
                "owned by a package",
                "unowned " + what,
                rel + " is not owned by any package"));
      }
    } catch (IOException e) {
      throw new StorageException("cannot walk " + dir + ": " + e.getMessage(), e);
    }
  }
}

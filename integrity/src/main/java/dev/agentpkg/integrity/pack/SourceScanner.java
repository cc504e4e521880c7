package dev.agentpkg.integrity.pack;

import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.manifest.PathRules;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Walks a package's source folder without following links and lists the payload files. Anything
 * that is not a regular file or directory is refused: packing a symlink would ship whatever it
 * points at on the packer's machine.
 */
final class SourceScanner {
  static final String DESCRIPTOR = "package.json";

  record SourceFile(String path, Path file, long size, String mode) {}

  private SourceScanner() {}

  /**
   * Its own walk rather than {@code Files.walkFileTree}: one lstat per entry gives type, size and
   * mode together (walkFileTree's attributes carry no mode, so each file was stat'ed twice), and
   * the relative path is built while descending instead of by {@code relativize}; for 20,000 files
   * that was ~0.1 s of pack's serial start.
   */
  static List<SourceFile> scan(Path sourceDir) {
    return scan(sourceDir, f -> {});
  }

  /** As {@link #scan(Path)}, handing each file to {@code found} as soon as it is listed. */
  static List<SourceFile> scan(Path sourceDir, Consumer<SourceFile> found) {
    boolean posix = Files.getFileAttributeView(sourceDir, PosixFileAttributeView.class) != null;
    BasicFileAttributes top = attributes(sourceDir, posix);
    refuseUnlessPlain(sourceDir, top);
    List<SourceFile> files = new ArrayList<>();
    Deque<Map.Entry<Path, String>> dirs = new ArrayDeque<>();
    dirs.push(Map.entry(sourceDir, ""));
    while (!dirs.isEmpty()) {
      Map.Entry<Path, String> dir = dirs.pop();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.getKey())) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          String rel = dir.getValue().isEmpty() ? name : dir.getValue() + "/" + name;
          BasicFileAttributes attrs = attributes(entry, posix);
          refuseUnlessPlain(entry, attrs);
          if (attrs.isDirectory()) {
            dirs.push(Map.entry(entry, rel));
            continue;
          }
          refuseUndecodable(rel);
          if (!rel.equals(DESCRIPTOR)) {
            PathRules.validate(rel);
            SourceFile f = new SourceFile(rel, entry, attrs.size(), modeOf(attrs));
            files.add(f);
            found.accept(f);
          }
        }
      } catch (IOException e) {
        throw new StorageException("cannot read " + dir.getKey() + ": " + e.getMessage(), e);
      }
    }
    return files;
  }

  private static BasicFileAttributes attributes(Path p, boolean posix) {
    try {
      return posix
          ? Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          : Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new StorageException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  /**
   * Under a non-UTF-8 locale the JVM decodes non-ASCII file names to U+FFFD yet can still open
   * them, so the manifest would name files that do not exist; refuse instead of packing wrongly.
   */
  private static void refuseUndecodable(String rel) {
    if (rel.indexOf('\uFFFD') >= 0) {
      throw new UsageException(
          "source file name '"
              + rel
              + "' cannot be decoded with this JVM's file-name encoding ("
              + System.getProperty("sun.jnu.encoding")
              + "); run agentpkg under a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
    }
  }

  private static void refuseUnlessPlain(Path p, BasicFileAttributes attrs) {
    if (attrs.isSymbolicLink()) {
      throw new UsageException("source " + p + " is a symbolic link; packages hold only files");
    }
    if (attrs.isOther()) {
      throw new UsageException(
          "source " + p + " is a device, FIFO or socket; packages hold only files");
    }
  }

  private static String modeOf(BasicFileAttributes attrs) {
    return attrs instanceof PosixFileAttributes posix
            && posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE)
        ? "0755"
        : "0644";
  }
}

package dev.agentpkg.integrity.pack;

import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.manifest.PathRules;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Walks a package's source folder without following links and lists the payload files. Anything
 * that is not a regular file or directory is refused: packing a symlink would ship whatever it
 * points at on the packer's machine.
 */
final class SourceScanner {
  static final String DESCRIPTOR = "package.json";

  record SourceFile(String path, Path file, long size, String mode) {}

  private SourceScanner() {}

  static List<SourceFile> scan(Path sourceDir) {
    List<SourceFile> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          sourceDir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(sourceDir)) {
                refuseUnlessPlain(dir, attrs);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              refuseUnlessPlain(file, attrs);
              String rel = PathRules.relative(sourceDir, file);
              refuseUndecodable(rel);
              if (!rel.equals(DESCRIPTOR)) {
                PathRules.validate(rel);
                files.add(new SourceFile(rel, file, attrs.size(), modeOf(file)));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
            }
          });
    } catch (IOException e) {
      throw new StorageException("cannot walk " + sourceDir + ": " + e.getMessage(), e);
    }
    return files;
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

  private static String modeOf(Path file) {
    try {
      Set<PosixFilePermission> perms =
          Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      return perms.contains(PosixFilePermission.OWNER_EXECUTE) ? "0755" : "0644";
    } catch (UnsupportedOperationException e) {
      return "0644";
    } catch (IOException e) {
      throw new StorageException("cannot read permissions of " + file + ": " + e.getMessage(), e);
    }
  }
}

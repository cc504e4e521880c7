package dev.agentpkg.registry.install;

import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.archive.EntrySink;
import dev.agentpkg.integrity.archive.ExpectedFile;
import dev.agentpkg.registry.Root;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A transaction's private area, {@code .agentpkg/staging/<tx>/}: the single copy of the archive
 * that everything is verified against, {@code new/} with the extracted payload and {@code old/}
 * with what the transaction moved out of the way.
 */
final class Staging {
  private final Path dir;
  private final boolean posix;
  private final Set<Path> createdDirs = new HashSet<>();
  private final List<Path> needChmod = new ArrayList<>();
  private final List<Integer> needChmodMode = new ArrayList<>();
  private Boolean umaskHarmless;

  private Staging(Path dir) {
    this.dir = dir;
    this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  static Staging create(Root root, String tx) {
    Path dir = root.staging().resolve(tx);
    try {
      Files.createDirectories(root.staging());
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw new StorageException("cannot create staging " + dir + ": " + e.getMessage(), e);
    }
    return new Staging(dir);
  }

  static Staging existing(Root root, String tx) {
    return new Staging(root.staging().resolve(tx));
  }

  Path dir() {
    return dir;
  }

  Path archiveCopy() {
    return dir.resolve("archive.tar.gz");
  }

  Path newDir() {
    return dir.resolve("new");
  }

  Path oldDir() {
    return dir.resolve("old");
  }

  /** Where the reader writes payload entries; each file is created with its manifest mode. */
  EntrySink sink() {
    Path base = newDir();
    return (ExpectedFile file) -> {
      Path target = base.resolve(file.path()).normalize();
      if (!target.startsWith(base) || target.equals(base)) {
        throw new VerificationException("archive entry '" + file.path() + "' leaves staging");
      }
      Path parent = target.getParent();
      if (createdDirs.add(parent)) {
        Files.createDirectories(parent);
      }
      if (!posix) {
        return Files.newOutputStream(target, StandardOpenOption.CREATE_NEW);
      }
      Set<PosixFilePermission> perms = permissions(file.mode());
      FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(perms);
      OutputStream out =
          Channels.newOutputStream(
              Files.newByteChannel(
                  target,
                  EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  attr));
      if (!umaskHarmless()) {
        needChmod.add(target);
        needChmodMode.add(file.mode());
      }
      return out;
    };
  }

  /** Restores exact modes where the process umask narrowed them at creation. */
  void fixModes() {
    try {
      for (int i = 0; i < needChmod.size(); i++) {
        Files.setPosixFilePermissions(needChmod.get(i), permissions(needChmodMode.get(i)));
      }
    } catch (IOException e) {
      throw new StorageException("cannot set file modes in staging: " + e.getMessage(), e);
    }
  }

  /** With the usual umask (022) files get 0644/0755 at creation and need no chmod each. */
  private boolean umaskHarmless() throws IOException {
    if (umaskHarmless == null) {
      Path probe = dir.resolve(".umask-probe");
      Files.deleteIfExists(probe);
      Files.createFile(probe, PosixFilePermissions.asFileAttribute(permissions(0755)));
      umaskHarmless = Files.getPosixFilePermissions(probe).equals(permissions(0755));
      Files.delete(probe);
    }
    return umaskHarmless;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < 9; bit++) {
      if ((mode & (1 << bit)) != 0) {
        p.add(order[bit]);
      }
    }
    return p;
  }

  void delete() {
    deleteTree(dir);
  }

  static void deleteTree(Path top) {
    if (!Files.exists(top, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          top,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new StorageException("cannot remove " + top + ": " + e.getMessage(), e);
    }
  }
}

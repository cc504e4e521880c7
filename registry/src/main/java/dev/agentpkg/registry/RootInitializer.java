package dev.agentpkg.registry;

import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.AtomicFiles;
import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Creates a new root (SPEC 2.1). The caller appends the INIT and TOKEN_CREATED ledger events. */
public final class RootInitializer {
  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rwx------");

  /** The new root and its first admin token, whose secret the caller prints once. */
  public record InitResult(Root root, IssuedToken adminToken) {}

  private RootInitializer() {}

  public static InitResult init(AppContext ctx, Path dir) {
    return init(ctx, dir, new SecureRandom());
  }

  /**
   * Creates the layout in {@code dir}, which may exist (a project directory, say) but must not hold
   * any reserved directory: an existing root is never overwritten.
   */
  public static InitResult init(AppContext ctx, Path dir, SecureRandom random) {
    Root root = new Root(dir);
    Path d = root.dir();
    if (Files.exists(d) && !Files.isDirectory(d)) {
      throw new ConflictException("cannot create a root at " + d + ": it is not a directory");
    }
    for (String reserved : Root.RESERVED_DIRS) {
      if (Files.exists(d.resolve(reserved))) {
        throw new ConflictException(
            d
                + " already holds "
                + reserved
                + "/ (an agentpkg root, or part of one); refusing to overwrite it");
      }
    }
    Deque<Path> created = new ArrayDeque<>();
    try {
      if (!Files.isDirectory(d)) {
        Files.createDirectories(d);
      }
      // createDirectory is atomic: of two concurrent inits only one gets past this line.
      createDir(root.registries(), created, false);
      createDir(root.fileOwnershipDir(), created, false);
      createDir(root.ledger().getParent(), created, false);
      createDir(root.store(), created, false);
      createDir(root.privateDir(), created, true);
      createDir(root.staging(), created, true);
      createDir(root.journal(), created, true);
      createEmptyFile(root.ledger(), created);
      writeHeader(root.trustedKeys(), RegistryColumns.TRUSTED_KEYS, created);
      writeHeader(root.tokens(), RegistryColumns.TOKENS, created);
      writeHeader(root.ledgerHead(), RegistryColumns.LEDGER_HEAD, created);
      IssuedToken admin =
          new TokenStore(root, ctx.clock(), random)
              .create(Role.ADMIN, Optional.empty(), "first admin token (agentpkg init)");
      // Written last: this file marks a complete root for RootLocator.
      writeHeader(root.packagesRegistry(), RegistryColumns.PACKAGES, created);
      for (Path p : List.of(root.registries(), root.ledger().getParent(), d)) {
        AtomicFiles.fsyncDirectory(p);
      }
      return new InitResult(root, admin);
    } catch (FileAlreadyExistsException e) {
      undo(created);
      throw new ConflictException(
          d + " already holds " + e.getFile() + "; refusing to overwrite an existing root", e);
    } catch (IOException e) {
      undo(created);
      throw new StorageException("cannot create a root at " + d + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      undo(created);
      throw e;
    }
  }

  private static void createDir(Path p, Deque<Path> created, boolean privateMode)
      throws IOException {
    boolean posix = p.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (privateMode && posix) {
      Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PRIVATE));
      created.push(p);
      // The umask may have narrowed the mode; make it exactly 0700.
      Files.getFileAttributeView(p, PosixFileAttributeView.class).setPermissions(PRIVATE);
    } else {
      Files.createDirectory(p);
      created.push(p);
    }
  }

  private static void createEmptyFile(Path p, Deque<Path> created) throws IOException {
    try (FileChannel ch =
        FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      created.push(p);
      ch.force(true);
    }
  }

  private static void writeHeader(Path p, List<String> columns, Deque<Path> created) {
    if (Files.exists(p)) {
      throw new ConflictException(p + " already exists; refusing to overwrite it");
    }
    created.push(p);
    new CsvTable(p, columns).write(List.of());
  }

  /** Removes what this init created, newest first, so a failed init can simply be retried. */
  private static void undo(Deque<Path> created) {
    for (Path p : created) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // best effort: the original error is what the user needs to see
      }
    }
  }
}

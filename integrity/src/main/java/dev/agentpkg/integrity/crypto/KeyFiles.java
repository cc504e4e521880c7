package dev.agentpkg.integrity.crypto;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.UsageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Reads and writes Ed25519 key PEM files. */
public final class KeyFiles {
  private static final Set<PosixFilePermission> PRIVATE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private KeyFiles() {}

  /**
   * Writes the private key PEM to {@code privateFile}, created with mode 0600 from the start (no
   * window where it is readable by others; on file systems without POSIX permissions the mode is
   * skipped), and the public key PEM to {@code publicFile} (0644). Refuses to overwrite existing
   * files. Each file is written to a temp file, fsync'd and then linked into place, so a failure
   * never leaves a partial key file behind.
   */
  public static void write(Ed25519PrivateKey key, Path privateFile, Path publicFile) {
    if (privateFile.toAbsolutePath().normalize().equals(publicFile.toAbsolutePath().normalize())) {
      throw new UsageException("private and public key files must differ: " + privateFile);
    }
    refuseExisting(privateFile);
    refuseExisting(publicFile);
    Path privateTemp = null;
    Path publicTemp = null;
    boolean privatePlaced = false;
    try {
      privateTemp = writeTemp(privateFile, key.toPem(), PRIVATE_MODE);
      publicTemp = writeTemp(publicFile, key.publicKey().toPem(), PUBLIC_MODE);
      place(privateTemp, privateFile);
      privatePlaced = true;
      place(publicTemp, publicFile);
    } catch (IOException e) {
      if (privatePlaced) {
        deleteQuietly(privateFile);
      }
      throw new StorageException("cannot write key file " + privateFile + ": " + e, e);
    } catch (RuntimeException e) {
      if (privatePlaced) {
        deleteQuietly(privateFile);
      }
      throw e;
    } finally {
      deleteQuietly(privateTemp);
      deleteQuietly(publicTemp);
    }
  }

  public static Ed25519PrivateKey readPrivate(Path file) {
    String text = readPem(file);
    try {
      return Ed25519PrivateKey.fromPem(text);
    } catch (UsageException e) {
      throw new UsageException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a public key PEM; a private key PEM is accepted too and its public key derived. */
  public static Ed25519PublicKey readPublic(Path file) {
    String text = readPem(file);
    try {
      if (text.contains("-----BEGIN PRIVATE KEY-----")) {
        return Ed25519PrivateKey.fromPem(text).publicKey();
      }
      return Ed25519PublicKey.fromPem(text);
    } catch (UsageException e) {
      throw new UsageException(file + ": " + e.getMessage(), e);
    }
  }

  /** {@code signer.pem -> signer.pub.pem}; {@code k -> k.pub.pem}. */
  public static Path publicKeyPathFor(Path privateFile) {
    Path name = privateFile.getFileName();
    if (name == null) {
      throw new UsageException("not a key file name: " + privateFile);
    }
    String s = name.toString();
    String base = s.endsWith(".pem") && s.length() > 4 ? s.substring(0, s.length() - 4) : s;
    return privateFile.resolveSibling(base + ".pub.pem");
  }

  private static String readPem(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new UsageException(file + ": is a directory, expected a key PEM file");
      }
      long size = Files.size(file);
      if (size > Pem.MAX_LENGTH) {
        throw new UsageException(file + ": too large for a key PEM file (" + size + " bytes)");
      }
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("key file not found: " + file, e);
    } catch (IOException e) {
      throw new StorageException("cannot read key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void refuseExisting(Path target) {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new ConflictException("refusing to overwrite existing key file " + target);
    }
  }

  private static Path writeTemp(Path target, String content, Set<PosixFilePermission> mode)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
            : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attrs);
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
    if (posix) {
      // The umask may have narrowed the public file's 0644 at creation; the target mode is exact.
      Files.setPosixFilePermissions(temp, mode);
    }
    return temp;
  }

  /**
   * Moves a finished temp file to its name without ever replacing an existing file: a hard link
   * fails atomically if the name is taken (a rename would silently replace it).
   */
  private static void place(Path temp, Path target) throws IOException {
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      throw new ConflictException("refusing to overwrite existing key file " + target);
    } catch (UnsupportedOperationException | IOException e) {
      // No hard links here (Jimfs without the feature, some FUSE/FAT mounts): a plain move
      // without REPLACE_EXISTING still refuses an existing target.
      try {
        Files.move(temp, target);
      } catch (FileAlreadyExistsException e2) {
        throw new ConflictException("refusing to overwrite existing key file " + target);
      }
    }
  }

  private static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Best effort clean-up of our own temp file; the original failure is what matters.
    }
  }
}

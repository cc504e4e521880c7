package dev.agentpkg.registry.state;

import dev.agentpkg.core.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * What a registry file was when it was parsed: its inode, size and modification time. Registry
 * files are only ever replaced by an atomic rename (a new inode), so an unchanged stamp means the
 * parse still holds and one command need not parse the same 1,000-row table twice.
 */
record FileStamp(Object fileKey, long size, FileTime modified) {

  /** Empty when the file is missing or its file system has no file keys (nothing is cached). */
  static Optional<FileStamp> of(Path file) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.fileKey() == null) {
        return Optional.empty();
      }
      return Optional.of(new FileStamp(a.fileKey(), a.size(), a.lastModifiedTime()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}

package dev.agentpkg.registry.state;

import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.manifest.FileEntry;

/**
 * One owned file as recorded at install. The same rules as a manifest's {@link FileEntry}: a file
 * list is read back as untrusted input, and uninstall deletes what it names.
 */
public record OwnedFile(String path, String sha256, long size, String mode) {
  public OwnedFile {
    try {
      new FileEntry(path, sha256, size, mode);
    } catch (UsageException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public static OwnedFile of(FileEntry e) {
    return new OwnedFile(e.path(), e.sha256(), e.size(), e.mode());
  }

  public boolean isExecutable() {
    return FileEntry.MODE_EXECUTABLE.equals(mode);
  }
}

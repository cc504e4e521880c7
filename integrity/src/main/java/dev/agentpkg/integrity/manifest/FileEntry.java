package dev.agentpkg.integrity.manifest;

import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.digest.Sha256;

/** One payload file of a package: its install path, digest, size and mode. */
public record FileEntry(String path, String sha256, long size, String mode) {
  public static final String MODE_FILE = "0644";
  public static final String MODE_EXECUTABLE = "0755";

  public FileEntry {
    PathRules.validate(path);
    if (!Sha256.isHex(sha256)) {
      throw new UsageException(
          "file "
              + Messages.quote(path)
              + ": sha256 "
              + Messages.quote(sha256)
              + " is not 64 lowercase hex digits");
    }
    if (size < 0) {
      throw new UsageException("file " + Messages.quote(path) + ": size " + size + " is negative");
    }
    if (!MODE_FILE.equals(mode) && !MODE_EXECUTABLE.equals(mode)) {
      throw new UsageException(
          "file "
              + Messages.quote(path)
              + ": mode "
              + Messages.quote(mode)
              + " is not allowed (expected \"0644\" or \"0755\")");
    }
  }

  public int modeBits() {
    return Integer.parseInt(mode, 8);
  }

  public boolean isExecutable() {
    return MODE_EXECUTABLE.equals(mode);
  }
}

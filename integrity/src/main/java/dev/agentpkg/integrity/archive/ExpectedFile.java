package dev.agentpkg.integrity.archive;

import dev.agentpkg.integrity.digest.Sha256;
import java.util.Objects;

/** One payload file as the manifest declares it; {@code mode} is 0644 or 0755 (octal). */
public record ExpectedFile(String path, long size, String sha256, int mode) {
  public ExpectedFile {
    Objects.requireNonNull(path, "path");
    if (size < 0) {
      throw new IllegalArgumentException("'" + path + "': negative size " + size);
    }
    if (!Sha256.isHex(sha256)) {
      throw new IllegalArgumentException("'" + path + "': sha256 must be 64 lowercase hex digits");
    }
    if (mode != 0644 && mode != 0755) {
      throw new IllegalArgumentException(
          "'" + path + "': mode must be 0644 or 0755, got 0" + Integer.toOctalString(mode));
    }
  }
}

package dev.agentpkg.integrity.pack;

import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What to pack and where.
 *
 * @param outputDir the folder that receives {@code <ID>-<VERSION>.tar.gz} and its sidecars
 * @param outputFile an explicit archive path; wins over {@code outputDir} when present
 * @param mtimeEpochSeconds the timestamp every entry carries (0, or {@code SOURCE_DATE_EPOCH})
 */
public record PackRequest(
    Path sourceDir,
    Optional<String> expectedId,
    Path outputDir,
    Optional<Path> outputFile,
    Optional<Ed25519PrivateKey> signingKey,
    long mtimeEpochSeconds,
    int threads) {

  public PackRequest {
    Objects.requireNonNull(sourceDir, "sourceDir");
    Objects.requireNonNull(expectedId, "expectedId");
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(outputFile, "outputFile");
    Objects.requireNonNull(signingKey, "signingKey");
    if (mtimeEpochSeconds < 0 || mtimeEpochSeconds > 077777777777L) {
      throw new IllegalArgumentException("mtime out of the tar range: " + mtimeEpochSeconds);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1");
    }
  }
}

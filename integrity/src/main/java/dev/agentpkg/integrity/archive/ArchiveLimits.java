package dev.agentpkg.integrity.archive;

/**
 * Hard limits the reader enforces while it streams, so a hostile archive costs at most this much
 * work and memory before it is refused.
 */
public record ArchiveLimits(
    long maxEntries,
    long maxEntryBytes,
    long maxTotalBytes,
    int maxPathBytes,
    int maxDepth,
    int maxManifestBytes,
    int maxHeaderBytes) {

  public ArchiveLimits {
    requirePositive("maxEntries", maxEntries);
    requirePositive("maxEntryBytes", maxEntryBytes);
    requirePositive("maxTotalBytes", maxTotalBytes);
    requirePositive("maxPathBytes", maxPathBytes);
    requirePositive("maxDepth", maxDepth);
    requirePositive("maxManifestBytes", maxManifestBytes);
    requirePositive("maxHeaderBytes", maxHeaderBytes);
  }

  public static ArchiveLimits defaults() {
    return new ArchiveLimits(100_000, 1L << 30, 4L << 30, 1024, 64, 4 * 1024 * 1024, 64 * 1024);
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}

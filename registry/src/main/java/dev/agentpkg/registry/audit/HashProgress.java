package dev.agentpkg.registry.audit;

import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of an integrity check's re-hash. The hashing threads only add to them; a display
 * polls them from its own thread at its own pace, so progress costs the hot path two adds per file
 * and no clock reads or output.
 */
public final class HashProgress {
  private final LongAdder files = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private volatile long totalFiles;
  private volatile long totalBytes;

  void start(long totalFiles, long totalBytes) {
    this.totalFiles = totalFiles;
    this.totalBytes = totalBytes;
  }

  void hashed(long size) {
    files.increment();
    bytes.add(size);
  }

  /** Files re-hashed (or found missing) so far. */
  public long files() {
    return files.sum();
  }

  public long bytes() {
    return bytes.sum();
  }

  /** Owned files to re-hash; 0 until the file lists have been read. */
  public long totalFiles() {
    return totalFiles;
  }

  public long totalBytes() {
    return totalBytes;
  }
}

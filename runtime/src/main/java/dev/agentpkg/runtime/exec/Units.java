package dev.agentpkg.runtime.exec;

import java.time.Duration;

/** How limits are spelled in messages. */
final class Units {
  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;

  private Units() {}

  static String bytes(long bytes) {
    if (bytes > 0 && bytes % MIB == 0) {
      return bytes / MIB + " MiB";
    }
    if (bytes > 0 && bytes % KIB == 0) {
      return bytes / KIB + " KiB";
    }
    return bytes + " bytes";
  }

  static String duration(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}

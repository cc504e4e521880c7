package dev.agentpkg.runtime.scan;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One jar of a package's runtime class path.
 *
 * @param name the root-relative payload path, e.g. {@code modules/PKG-T1-X-001/lib/a.jar}; it names
 *     the jar in violations
 * @param file where to read it
 */
public record CodeJar(String name, Path file) {
  public CodeJar {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    if (name.isBlank()) {
      throw new IllegalArgumentException("code jar name is blank");
    }
  }
}

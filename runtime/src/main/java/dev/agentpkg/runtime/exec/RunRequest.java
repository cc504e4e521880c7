package dev.agentpkg.runtime.exec;

import dev.agentpkg.core.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What to run and under which limits.
 *
 * @param packageId the id of the package being run, shown to the module and in thread names
 * @param entrypoint binary name of the class implementing {@link dev.agentpkg.api.AgentModule}
 * @param classpath the module's jars, then its dependencies' jars, already verified by the caller
 * @param arguments the arguments after {@code --}
 * @param timeout wall-clock limit for the run
 * @param memoryBytes heap limit of the child JVM ({@link Isolation#PROCESS} only; default {@value
 *     #DEFAULT_MEMORY_BYTES} bytes)
 * @param workDirectory private, empty directory created by the caller; the child's working
 *     directory
 */
public record RunRequest(
    String packageId,
    String entrypoint,
    List<Path> classpath,
    List<String> arguments,
    Isolation isolation,
    Optional<Duration> timeout,
    OptionalLong memoryBytes,
    Path workDirectory) {
  public static final long DEFAULT_MEMORY_BYTES = 256L * 1024 * 1024;

  /** Below this the JVM itself barely starts, so the failure would be unhelpful. */
  public static final long MIN_MEMORY_BYTES = 16L * 1024 * 1024;

  public RunRequest {
    Objects.requireNonNull(packageId, "packageId");
    Objects.requireNonNull(entrypoint, "entrypoint");
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(memoryBytes, "memoryBytes");
    Objects.requireNonNull(workDirectory, "workDirectory");
    if (packageId.isBlank()) {
      throw new UsageException("package id must not be blank");
    }
    if (!isBinaryClassName(entrypoint)) {
      throw new UsageException(
          "entrypoint '" + entrypoint + "' of " + packageId + " is not a Java class name");
    }
    classpath = List.copyOf(classpath);
    if (classpath.isEmpty()) {
      throw new UsageException("classpath of " + packageId + " is empty");
    }
    arguments = List.copyOf(arguments);
    if (timeout.isPresent() && (timeout.get().isZero() || timeout.get().isNegative())) {
      throw new UsageException("timeout must be positive, not " + timeout.get());
    }
    if (memoryBytes.isPresent() && memoryBytes.getAsLong() < MIN_MEMORY_BYTES) {
      throw new UsageException(
          "memory limit must be at least "
              + Units.bytes(MIN_MEMORY_BYTES)
              + ", not "
              + Units.bytes(memoryBytes.getAsLong()));
    }
  }

  /** The heap limit that applies to a child JVM. */
  public long effectiveMemoryBytes() {
    return memoryBytes.orElse(DEFAULT_MEMORY_BYTES);
  }

  private static boolean isBinaryClassName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))) {
        return false;
      }
      if (!part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
        return false;
      }
    }
    return true;
  }
}

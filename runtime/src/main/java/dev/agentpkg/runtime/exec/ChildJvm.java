package dev.agentpkg.runtime.exec;

import dev.agentpkg.api.AgentModule;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to start the child JVM of a {@link Isolation#PROCESS} run.
 *
 * @param javaExecutable the {@code java} launcher
 * @param hostClasspath where {@code module-api} and the child's entry class live
 * @param jvmOptions options placed before {@code -Xmx} and {@code -cp}
 * @param tryUnshare whether to try {@code unshare -rn} to take the network away
 */
public record ChildJvm(
    Path javaExecutable, List<Path> hostClasspath, List<String> jvmOptions, boolean tryUnshare) {
  /** Options that make a short-lived child start fast and keep its footprint small. */
  public static final List<String> DEFAULT_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xshare:auto",
          "-XX:-UsePerfData",
          "-Dfile.encoding=UTF-8");

  public ChildJvm {
    Objects.requireNonNull(javaExecutable, "javaExecutable");
    hostClasspath = List.copyOf(hostClasspath);
    jvmOptions = List.copyOf(jvmOptions);
    if (hostClasspath.isEmpty()) {
      throw new IllegalArgumentException("the child JVM needs a host classpath");
    }
  }

  /** The JVM running this code, with the locations of the child entry class and module API. */
  public static ChildJvm forThisJvm(FileSystem fs) {
    Path java = fs.getPath(System.getProperty("java.home"), "bin", "java");
    List<Path> classpath = new ArrayList<>();
    for (Class<?> type : List.of(ModuleChild.class, AgentModule.class)) {
      Path location = codeSource(fs, type);
      if (!classpath.contains(location)) {
        classpath.add(location);
      }
    }
    return new ChildJvm(java, classpath, DEFAULT_OPTIONS, true);
  }

  private static Path codeSource(FileSystem fs, Class<?> type) {
    try {
      return fs.provider()
          .getPath(type.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath()
          .normalize();
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot locate the code source of " + type.getName() + ": " + e.getMessage(), e);
    }
  }
}

package dev.agentpkg.core;

import java.io.PrintStream;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a command may take from the process: the file system, the working directory, the
 * clock, the environment and the output streams. Built once in {@code Main}; tests build one on
 * Jimfs with a fixed clock instead of touching the real process.
 */
public record AppContext(
    FileSystem fileSystem,
    Path workingDirectory,
    Clock clock,
    Map<String, String> env,
    PrintStream out,
    PrintStream err) {

  public AppContext {
    Objects.requireNonNull(fileSystem, "fileSystem");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(clock, "clock");
    env = Map.copyOf(env);
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    if (workingDirectory.getFileSystem() != fileSystem) {
      throw new IllegalArgumentException("working directory is not on the context's file system");
    }
  }

  public Optional<String> envValue(String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
  }

  /** Resolves a user-supplied path against the working directory, on this context's file system. */
  public Path path(String userPath) {
    return workingDirectory.resolve(fileSystem.getPath(userPath)).normalize();
  }
}

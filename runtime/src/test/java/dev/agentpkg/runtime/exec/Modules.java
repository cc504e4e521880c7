package dev.agentpkg.runtime.exec;

import dev.agentpkg.runtime.testing.ModuleJars;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Builds test modules and runs them, capturing what they print. */
final class Modules {
  static final String ENTRYPOINT = "demo.Mod";

  final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  final ModuleRunner runner;
  private final Path dir;

  Modules(Path dir) {
    this(dir, ChildJvm.forThisJvm(FileSystems.getDefault()));
  }

  Modules(Path dir, ChildJvm jvm) {
    this.dir = dir;
    this.runner =
        new ModuleRunner(
            jvm,
            Clock.systemUTC(),
            new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  /** Source of {@code demo.Mod} whose {@code run} has the given body. */
  static String source(String body) {
    return "package demo; import dev.agentpkg.api.*; import java.util.*;"
        + " public class Mod implements AgentModule {"
        + " public int run(ModuleContext ctx) throws Exception { "
        + body
        + " } }";
  }

  Path jar(String body) {
    return ModuleJars.builder().source(ENTRYPOINT, source(body)).write(dir.resolve("mod.jar"));
  }

  RunRequest request(Isolation isolation, List<Path> classpath, String... args) {
    return request(isolation, classpath, Optional.empty(), OptionalLong.empty(), args);
  }

  RunRequest request(
      Isolation isolation,
      List<Path> classpath,
      Optional<Duration> timeout,
      OptionalLong memory,
      String... args) {
    try {
      Path work = Files.createDirectories(dir.resolve("work"));
      return new RunRequest(
          "demo", ENTRYPOINT, classpath, List.of(args), isolation, timeout, memory, work);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  RunOutcome run(Isolation isolation, String body, HostServices host, String... args) {
    return runner.run(request(isolation, List.of(jar(body)), args), host);
  }

  String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  /** Module output on stderr, without the child JVM's own lines and the isolation warning. */
  List<String> moduleErrLines() {
    return err()
        .lines()
        .filter(l -> !l.startsWith("module: ") && !l.startsWith("agentpkg: "))
        .toList();
  }
}

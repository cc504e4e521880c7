package dev.agentpkg.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessTest {
  @TempDir Path dir;

  @Test
  void theModulesJarIsClosedWhenRunReturns() throws Exception {
    Modules modules = new Modules(dir);
    Path jar =
        modules.jar(
            "ctx.out().println(new Helper().name()); return 0; }"
                + " public static class Helper { String name() { return \"helper\"; } ");
    Path real = jar.toRealPath();

    RunOutcome outcome =
        modules.runner.run(modules.request(Isolation.IN_PROCESS, List.of(jar)), new FakeHost());

    assertThat(outcome.status()).as(outcome.message()).isEqualTo(RunStatus.COMPLETED);
    assertThat(modules.out()).isEqualTo("helper\n");
    assertThat(openFiles()).doesNotContain(real);
  }

  @Test
  void aLoopingModuleTimesOutAndIsInterrupted() throws Exception {
    Modules modules = new Modules(dir);
    Path jar =
        modules.jar(
            "while (!Thread.currentThread().isInterrupted()) { }"
                + " ctx.err().println(\"interrupted \" + Thread.currentThread().getName());"
                + " return 0;");
    long start = System.nanoTime();

    RunOutcome outcome =
        modules.runner.run(
            modules.request(
                Isolation.IN_PROCESS,
                List.of(jar),
                Optional.of(Duration.ofMillis(300)),
                OptionalLong.empty()),
            new FakeHost());

    assertThat(outcome.status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(outcome.exitStatus()).isEqualTo(1);
    assertThat(outcome.message()).startsWith("timed out after 300ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    // the interrupted thread finishes on its own; its name tells which package it ran
    for (int i = 0; i < 50 && modules.err().isEmpty(); i++) {
      Thread.sleep(20);
    }
    assertThat(modules.err()).isEqualTo("interrupted agentpkg-module-demo\n");
  }

  @Test
  void entrypointProblemsAreFailuresWithAMessage() {
    Modules modules = new Modules(dir);
    Path jar =
        dev.agentpkg.runtime.testing.ModuleJars.builder()
            .source("demo.NotModule", "package demo; public class NotModule { }")
            .source(
                "demo.NoCtor",
                "package demo; public class NoCtor implements dev.agentpkg.api.AgentModule {"
                    + " public NoCtor(int x) { }"
                    + " public int run(dev.agentpkg.api.ModuleContext c) { return 0; } }")
            .source(
                "demo.Hidden",
                "package demo; class Hidden implements dev.agentpkg.api.AgentModule {"
                    + " public int run(dev.agentpkg.api.ModuleContext c) { return 0; } }")
            .source(
                "demo.Angry",
                "package demo; public class Angry implements dev.agentpkg.api.AgentModule {"
                    + " public Angry() { throw new UnsupportedOperationException(\"no\"); }"
                    + " public int run(dev.agentpkg.api.ModuleContext c) { return 0; } }")
            .write(dir.resolve("entry.jar"));

    assertThat(failure(modules, jar, "demo.Missing"))
        .isEqualTo("entrypoint demo.Missing not found in the module's classpath");
    assertThat(failure(modules, jar, "demo.NotModule"))
        .isEqualTo("entrypoint demo.NotModule does not implement dev.agentpkg.api.AgentModule");
    assertThat(failure(modules, jar, "demo.NoCtor"))
        .isEqualTo("entrypoint demo.NoCtor has no public no-argument constructor");
    assertThat(failure(modules, jar, "demo.Hidden"))
        .isEqualTo("entrypoint demo.Hidden is not public");
    assertThat(failure(modules, jar, "demo.Angry"))
        .isEqualTo("module threw java.lang.UnsupportedOperationException: no");
  }

  @Test
  void aJarThatExtendsItsClasspathIsRefused() {
    Modules modules = new Modules(dir);
    Path jar =
        dev.agentpkg.runtime.testing.ModuleJars.builder()
            .source(Modules.ENTRYPOINT, Modules.source("return 0;"))
            .manifestAttribute("Class-Path", "../../host.jar")
            .write(dir.resolve("cp.jar"));

    RunOutcome outcome =
        modules.runner.run(modules.request(Isolation.IN_PROCESS, List.of(jar)), new FakeHost());

    assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
    assertThat(outcome.message())
        .isEqualTo("jar cp.jar declares a Class-Path; modules may not extend it");
  }

  @Test
  void runningOutOfMemoryInProcessIsReportedAsSuch() {
    Modules modules = new Modules(dir);
    RunOutcome outcome =
        modules.run(
            Isolation.IN_PROCESS, "throw new OutOfMemoryError(\"pretend\");", new FakeHost());

    assertThat(outcome.status()).isEqualTo(RunStatus.OUT_OF_MEMORY);
    assertThat(outcome.exitStatus()).isEqualTo(1);
    assertThat(outcome.networkIsolated()).isFalse();
  }

  private static String failure(Modules modules, Path jar, String entrypoint) {
    RunRequest request =
        new RunRequest(
            "demo",
            entrypoint,
            List.of(jar),
            List.of(),
            Isolation.IN_PROCESS,
            Optional.empty(),
            OptionalLong.empty(),
            jar.getParent());
    RunOutcome outcome = modules.runner.run(request, new FakeHost());
    assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
    assertThat(outcome.exitStatus()).isEqualTo(1);
    return outcome.message();
  }

  private static List<Path> openFiles() throws IOException {
    List<Path> targets = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          targets.add(Files.readSymbolicLink(fd));
        } catch (IOException e) {
          // closed between listing and reading
        }
      }
    }
    return targets;
  }
}

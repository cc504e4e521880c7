package dev.agentpkg.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only a child JVM gives: kill on timeout, a heap limit, a clean environment, no network. */
class ProcessIsolationTest {
  @TempDir Path dir;

  @Test
  void aLoopingModuleIsKilledAtTheTimeout() {
    Modules modules = new Modules(dir);
    AtomicReference<ProcessHandle> child = new AtomicReference<>();
    modules.runner.onChildStarted(child::set);
    Path jar = modules.jar("while (true) { } ");
    long start = System.nanoTime();

    RunOutcome outcome =
        modules.runner.run(
            modules.request(
                Isolation.PROCESS,
                List.of(jar),
                Optional.of(Duration.ofSeconds(2)),
                OptionalLong.empty()),
            new FakeHost());

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(outcome.status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(outcome.exitStatus()).isEqualTo(1);
    assertThat(outcome.message()).isEqualTo("timed out after 2s; killed");
    assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
    assertThat(outcome.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(child.get()).isNotNull();
    assertThat(child.get().isAlive()).isFalse();
  }

  @Test
  void aModulePastItsHeapLimitEndsOutOfMemory() {
    Modules modules = new Modules(dir);
    // kept in a static field, so the memory is still held when the child reports
    Path jar =
        modules.jar(
            "for (int i = 0; i < 1024; i++) { Hog.KEEP.add(new byte[1 << 20]); } return 0; }"
                + " static class Hog { static final List<byte[]> KEEP = new ArrayList<>(); ");

    RunOutcome outcome =
        modules.runner.run(
            modules.request(
                Isolation.PROCESS,
                List.of(jar),
                Optional.of(Duration.ofSeconds(30)),
                OptionalLong.of(64L * 1024 * 1024)),
            new FakeHost());

    assertThat(outcome.status()).as(outcome.message()).isEqualTo(RunStatus.OUT_OF_MEMORY);
    assertThat(outcome.exitStatus()).isEqualTo(1);
    assertThat(outcome.message()).isEqualTo("exceeded its memory limit (64 MiB)");
  }

  @Test
  void theChildHasACleanEnvironmentTheWorkDirectoryAndAProtectedProtocol() throws Exception {
    Modules modules = new Modules(dir);
    RunRequest request =
        modules.request(
            Isolation.PROCESS,
            List.of(
                modules.jar(
                    "System.out.println(\"stray print\");"
                        + " ctx.out().println(System.getenv());"
                        + " ctx.out().println(java.nio.file.Path.of(\"\").toAbsolutePath());"
                        + " ctx.out().println(ctx.clock().getZone());"
                        + " return 0;")));

    RunOutcome outcome = modules.runner.run(request, new FakeHost());

    assertThat(outcome.status()).as(outcome.message()).isEqualTo(RunStatus.COMPLETED);
    assertThat(modules.out().lines())
        .containsExactly("{LC_ALL=C.UTF-8}", request.workDirectory().toRealPath().toString(), "Z");
    assertThat(modules.err()).contains("module: stray print\n");
  }

  @Test
  void withUnshareTheChildCannotReachTheHostsLoopback() throws Exception {
    Modules modules = new Modules(dir);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      RunOutcome outcome =
          modules.run(
              Isolation.PROCESS,
              "try (java.net.Socket s = new java.net.Socket()) {"
                  + "   s.connect(new java.net.InetSocketAddress(\"127.0.0.1\", "
                  + server.getLocalPort()
                  + "), 2000);"
                  + "   return 0;"
                  + " } catch (java.io.IOException e) { ctx.out().println(e); return 9; }",
              new FakeHost());

      Assumptions.assumeTrue(
          outcome.networkIsolated(), "unshare -rn does not work here: " + modules.err());
      assertThat(outcome.exitStatus()).as(modules.out()).isEqualTo(9);
      assertThat(modules.err()).doesNotContain("network isolation unavailable");
    }
  }

  @Test
  void aChildThatDiesWithoutReportingCrashed() {
    ChildJvm jvm = ChildJvm.forThisJvm(FileSystems.getDefault());
    Modules modules =
        new Modules(
            dir, new ChildJvm(jvm.javaExecutable(), jvm.hostClasspath(), jvm.jvmOptions(), false));

    RunOutcome outcome =
        modules.run(
            Isolation.PROCESS,
            "ctx.out().println(\"going\"); Runtime.getRuntime().halt(9); return 0;",
            new FakeHost());

    assertThat(outcome.status()).isEqualTo(RunStatus.CRASHED);
    assertThat(outcome.exitStatus()).isEqualTo(1);
    assertThat(outcome.message())
        .isEqualTo("child JVM exited with status 9 without reporting a result");
    assertThat(outcome.networkIsolated()).isFalse();
    assertThat(modules.out()).isEqualTo("going\n");
    assertThat(modules.err()).doesNotContain("network isolation");
  }

  @Test
  void anEntrypointThatIsNotThereFailsInTheChildWithAMessage() {
    Modules modules = new Modules(dir);
    RunRequest request =
        new RunRequest(
            "demo",
            "demo.Missing",
            List.of(modules.jar("return 0;")),
            List.of(),
            Isolation.PROCESS,
            Optional.empty(),
            OptionalLong.empty(),
            dir);

    RunOutcome outcome = modules.runner.run(request, new FakeHost());

    assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
    assertThat(outcome.message())
        .isEqualTo("entrypoint demo.Missing not found in the module's classpath");
  }

  @Test
  void theCommandStartsTheChildUnderUnshareWithTheHeapLimit() {
    ChildJvm jvm = ChildJvm.forThisJvm(FileSystems.getDefault());
    RunRequest request =
        new RunRequest(
            "demo",
            "demo.Mod",
            List.of(dir.resolve("m.jar")),
            List.of("not", "on", "the", "command", "line"),
            Isolation.PROCESS,
            Optional.empty(),
            OptionalLong.of(64L * 1024 * 1024),
            dir);

    List<String> command =
        new ChildRun(
                jvm,
                List.of("/usr/bin/unshare", "-rn"),
                request,
                new FakeHost(),
                java.time.ZoneOffset.UTC,
                System.out,
                System.err,
                h -> {})
            .command();

    assertThat(command.subList(0, 3))
        .containsExactly("/usr/bin/unshare", "-rn", jvm.javaExecutable().toString());
    assertThat(command).contains("-XX:+UseSerialGC", "-Xmx67108864", "-cp");
    assertThat(command.get(command.size() - 1)).isEqualTo(ModuleChild.class.getName());
    assertThat(command).doesNotContain("line");
  }
}

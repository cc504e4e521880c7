package dev.agentpkg.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.api.CapabilityDeniedException;
import dev.agentpkg.core.UsageException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ValuesTest {
  private static final Path WORK = Path.of("/tmp/work");

  private static RunRequest request(
      String entrypoint, List<Path> classpath, Optional<Duration> timeout, OptionalLong memory) {
    return new RunRequest(
        "demo", entrypoint, classpath, List.of(), Isolation.PROCESS, timeout, memory, WORK);
  }

  @Test
  void isolationParsesTheCommandLineSpellingsOnly() {
    assertThat(Isolation.parse("process")).isEqualTo(Isolation.PROCESS);
    assertThat(Isolation.parse("in-process")).isEqualTo(Isolation.IN_PROCESS);
    assertThatThrownBy(() -> Isolation.parse("IN_PROCESS"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--isolation must be 'process' or 'in-process', not 'IN_PROCESS'");
  }

  @Test
  void runRequestRefusesWhatCannotRun() {
    List<Path> cp = List.of(WORK.resolve("m.jar"));
    assertThatThrownBy(() -> request("demo..Mod", cp, Optional.empty(), OptionalLong.empty()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'demo..Mod'");
    assertThatThrownBy(() -> request("1demo.Mod", cp, Optional.empty(), OptionalLong.empty()))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> request("demo.Mod", List.of(), Optional.empty(), OptionalLong.empty()))
        .isInstanceOf(UsageException.class)
        .hasMessage("classpath of demo is empty");
    assertThatThrownBy(
            () -> request("demo.Mod", cp, Optional.of(Duration.ZERO), OptionalLong.empty()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(
            () -> request("demo.Mod", cp, Optional.empty(), OptionalLong.of(1024 * 1024)))
        .isInstanceOf(UsageException.class)
        .hasMessage("memory limit must be at least 16 MiB, not 1 MiB");

    RunRequest ok = request("demo.Mod$Inner", cp, Optional.empty(), OptionalLong.empty());
    assertThat(ok.effectiveMemoryBytes()).isEqualTo(256L * 1024 * 1024);
    assertThatThrownBy(() -> ok.classpath().add(WORK))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void outcomeMessagesAreOneLine() {
    RunOutcome outcome =
        new RunOutcome(RunStatus.FAILED, 1, Duration.ZERO, "module threw X: a\n  b\r\nc\n", false);
    assertThat(outcome.message()).isEqualTo("module threw X: a b c");
    assertThatThrownBy(
            () -> new RunOutcome(RunStatus.FAILED, 1, Duration.ofSeconds(-1), "x", false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unitsReadLikePeopleWriteThem() {
    assertThat(Units.bytes(64L * 1024 * 1024)).isEqualTo("64 MiB");
    assertThat(Units.bytes(3072)).isEqualTo("3 KiB");
    assertThat(Units.bytes(1000)).isEqualTo("1000 bytes");
    assertThat(Units.duration(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(Units.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void aRelayedDenialKeepsOperationPathAndMessage() {
    CapabilityDeniedException usual =
        RemoteHost.denial("read", "a/b", "read a/b denied: not granted");
    assertThat(usual.getClass()).isEqualTo(CapabilityDeniedException.class);
    assertThat(usual.operation()).isEqualTo("read");
    assertThat(usual.path()).isEqualTo("a/b");
    assertThat(usual.getMessage()).isEqualTo("read a/b denied: not granted");

    CapabilityDeniedException custom = RemoteHost.denial("write", "x", "reserved directory x");
    assertThat(custom).isInstanceOf(CapabilityDeniedException.class);
    assertThat(custom.operation()).isEqualTo("write");
    assertThat(custom.getMessage()).isEqualTo("reserved directory x");
  }

  @Test
  void theChildJvmOfThisJvmHasJavaAndTheModuleApi() {
    ChildJvm jvm = ChildJvm.forThisJvm(FileSystems.getDefault());
    assertThat(Files.isExecutable(jvm.javaExecutable())).isTrue();
    assertThat(jvm.hostClasspath())
        .contains(dev.agentpkg.runtime.testing.ModuleJars.moduleApiLocation().toAbsolutePath())
        .doesNotHaveDuplicates();
    assertThat(jvm.tryUnshare()).isTrue();
  }
}

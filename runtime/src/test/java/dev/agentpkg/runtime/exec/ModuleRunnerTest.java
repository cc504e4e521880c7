package dev.agentpkg.runtime.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentpkg.runtime.testing.ModuleJars;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour that must be the same whether the module runs in a child JVM or in-process. */
class ModuleRunnerTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Isolation.class)
  void returnsTheModulesExitStatusAndPassesArgumentsAndPackageId(Isolation isolation) {
    Modules modules = new Modules(dir);
    RunOutcome outcome =
        modules.run(
            isolation,
            "ctx.out().println(ctx.packageId() + ' ' + String.join(\",\", ctx.arguments()));"
                + " return Integer.parseInt(ctx.arguments().get(0));",
            new FakeHost(),
            "42",
            "two words",
            "ünïcode");

    assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(outcome.exitStatus()).isEqualTo(42);
    assertThat(modules.out()).isEqualTo("demo 42,two words,ünïcode\n");
    if (isolation == Isolation.IN_PROCESS) {
      assertThat(outcome.networkIsolated()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(Isolation.class)
  void filesEvidenceAndOutputGoThroughTheHost(Isolation isolation) {
    FakeHost host = new FakeHost();
    host.files.put("data/in.txt", "alpha\r\nbeta\n".getBytes(UTF_8));
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    PrintStream shared = new PrintStream(both, true, UTF_8);
    ModuleRunner runner =
        new ModuleRunner(
            new ChildJvm(
                ChildJvm.forThisJvm(FileSystems.getDefault()).javaExecutable(),
                ChildJvm.forThisJvm(FileSystems.getDefault()).hostClasspath(),
                ChildJvm.DEFAULT_OPTIONS,
                false),
            Clock.systemUTC(),
            shared,
            shared);
    Modules modules = new Modules(dir);
    Path jar =
        modules.jar(
            "List<String> lines = ctx.files().readLines(\"data/in.txt\");"
                + " ctx.out().println(\"a \" + lines);"
                + " ctx.err().println(\"b\");"
                + " ctx.files().write(\"data/out.txt\","
                + "   String.join(\"+\", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8));"
                + " ctx.out().println(\"c \" + ctx.files().list(\"data\")"
                + "   + ctx.files().exists(\"data/out.txt\") + ctx.files().exists(\"nope\"));"
                + " ctx.files().delete(\"data/in.txt\");"
                + " int n = ctx.files().exec(\"bin/tool\", List.of(\"x\", \"y\", \"z\"));"
                + " ctx.evidence().emit(\"session.summary\", Map.of(\"lines\", \"\" + lines.size()));"
                + " ctx.out().close();"
                + " ctx.out().print(\"d \" + n);"
                + " return 0;");

    RunOutcome outcome = runner.run(modules.request(isolation, List.of(jar)), host);

    assertThat(outcome.status()).as(outcome.message()).isEqualTo(RunStatus.COMPLETED);
    assertThat(both.toString(UTF_8))
        .isEqualTo("a [alpha, beta]\nb\nc [in.txt, out.txt]truefalse\nd 3");
    assertThat(host.calls)
        .containsExactly(
            "read data/in.txt",
            "write data/out.txt",
            "list data",
            "exists data/out.txt",
            "exists nope",
            "delete data/in.txt",
            "exec bin/tool",
            "evidence session.summary");
    assertThat(host.files).containsOnlyKeys("data/out.txt");
    assertThat(new String(host.files.get("data/out.txt"), UTF_8)).isEqualTo("alpha+beta");
    assertThat(host.evidence).containsExactly("session.summary {lines=2}");
    assertThat(outcome.networkIsolated()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Isolation.class)
  void aCaughtDenialIsTheHostsOwnAndTheModuleDecides(Isolation isolation) {
    Modules modules = new Modules(dir);
    RunOutcome outcome =
        modules.run(
            isolation,
            "try { ctx.files().read(\"secrets/key\"); return 0; }"
                + " catch (CapabilityDeniedException e) {"
                + "   ctx.out().println(e.operation() + '|' + e.path() + '|' + e.getMessage());"
                + "   return 7; }",
            new FakeHost(Set.of("secrets/key")));

    assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(outcome.exitStatus()).isEqualTo(7);
    assertThat(modules.out())
        .isEqualTo("read|secrets/key|read secrets/key denied: not granted by the manifest\n");
  }

  @ParameterizedTest
  @EnumSource(Isolation.class)
  void anUncaughtDenialEndsTheRunAsDenied(Isolation isolation) {
    Modules modules = new Modules(dir);
    RunOutcome outcome =
        modules.run(
            isolation,
            "ctx.files().write(\"etc/x\", new byte[1]); return 0;",
            new FakeHost(Set.of("etc/x")));

    assertThat(outcome.status()).isEqualTo(RunStatus.DENIED);
    assertThat(outcome.exitStatus()).isEqualTo(6);
    assertThat(outcome.message()).contains("write etc/x denied: not granted by the manifest");
  }

  @ParameterizedTest
  @EnumSource(Isolation.class)
  void aThrowingModuleFailsWithOneLineAndOtherHostErrorsArriveAsMessages(Isolation isolation) {
    Modules modules = new Modules(dir);
    RunOutcome outcome =
        modules.run(
            isolation,
            "try { ctx.files().read(\"missing\"); }"
                + " catch (RuntimeException e) {"
                + "   ctx.out().println(e.getClass().getName() + \": \" + e.getMessage()); }"
                + " throw new IllegalStateException(\"boom\\nsecond line\");",
            new FakeHost());

    assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
    assertThat(outcome.exitStatus()).isEqualTo(1);
    assertThat(outcome.message())
        .isEqualTo("module threw java.lang.IllegalStateException: boom second line");
    assertThat(modules.out()).isEqualTo("java.lang.RuntimeException: no such file: missing\n");
    assertThat(modules.err()).doesNotContain("\tat ");
  }

  @ParameterizedTest
  @EnumSource(Isolation.class)
  void dependencyJarsAreVisibleButTheHostIsNot(Isolation isolation) {
    Path dep =
        ModuleJars.builder()
            .source(
                "lib.Greeter",
                "package lib; public class Greeter { public static String hi()"
                    + " { return \"hi from lib\"; } }")
            .write(dir.resolve("dep.jar"));
    Path jar =
        ModuleJars.builder()
            .classpath(dep)
            .source(
                Modules.ENTRYPOINT,
                Modules.source(
                    "ctx.out().println(lib.Greeter.hi());"
                        + " for (String n : List.of(\"dev.agentpkg.runtime.exec.ModuleRunner\","
                        + "     \"dev.agentpkg.core.ExitCode\","
                        + "     \"com.fasterxml.jackson.databind.ObjectMapper\","
                        + "     \"org.junit.jupiter.api.Test\", \"picocli.CommandLine\")) {"
                        + "   try { Class.forName(n); ctx.out().println(\"visible \" + n); }"
                        + "   catch (ClassNotFoundException e) { ctx.out().println(\"hidden \" + n); }"
                        + " }"
                        + " ClassLoader mine = getClass().getClassLoader();"
                        + " ctx.out().println(Thread.currentThread().getContextClassLoader() == mine);"
                        + " ctx.out().println(Class.forName(\"java.sql.Connection\").getName());"
                        + " return 0;"))
            .write(dir.resolve("mod.jar"));
    Modules modules = new Modules(dir);

    RunOutcome outcome =
        modules.runner.run(modules.request(isolation, List.of(jar, dep)), new FakeHost());

    assertThat(outcome.status()).as(outcome.message()).isEqualTo(RunStatus.COMPLETED);
    assertThat(modules.out().lines())
        .containsExactly(
            "hi from lib",
            "hidden dev.agentpkg.runtime.exec.ModuleRunner",
            "hidden dev.agentpkg.core.ExitCode",
            "hidden com.fasterxml.jackson.databind.ObjectMapper",
            "hidden org.junit.jupiter.api.Test",
            "hidden picocli.CommandLine",
            "true",
            "java.sql.Connection");
  }
}

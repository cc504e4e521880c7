package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentpkg.core.AppContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI in this JVM on the real file system: after an in-process {@code run}, no file under the
 * root (no jar, no copy of one) is still open, which {@code /proc/self/fd} shows directly.
 */
@EnabledOnOs(OS.LINUX)
class RunInProcessTest {
  @TempDir Path dir;
  final Map<String, String> env = new HashMap<>();

  record Run(int code, String out, String err) {}

  Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AppContext ctx =
        new AppContext(
            FileSystems.getDefault(),
            dir,
            Clock.systemUTC(),
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = new Cli(ctx).execute(args);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Run ok(String... args) {
    Run r = run(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
    return r;
  }

  @Test
  void noFileUnderTheRootIsHeldOpenAfterAnInProcessRun() throws Exception {
    Path root = dir.resolve("root");
    env.put("AGENTPKG_ROOT", root.toString());
    String admin = ok("init", "-q").out().trim();
    ok("keys", "generate", "--out", dir.resolve("k.pem").toString());
    ok(
        "keys",
        "trust",
        dir.resolve("k.pub.pem").toString(),
        "--tiers",
        "T1",
        "--owner",
        "t",
        "--token",
        admin);
    ModulePackage pkg =
        new ModulePackage("PKG-T1-INPROC-001")
            .capabilities("{\"read\":[\"modules/PKG-T1-INPROC-001/**\"]}")
            .file("modules/PKG-T1-INPROC-001/notes.txt", "note\n")
            .module(
                "ip.Mod",
                "ctx.out().println(ctx.files().readLines(\"modules/PKG-T1-INPROC-001/notes.txt\"));"
                    + " return 5;");
    Path src = pkg.write(dir.resolve("src"));
    ok("pack", "--src", src.toString(), "--key", dir.resolve("k.pem").toString(), "--token", admin);
    ok("install", pkg.id(), "--token", admin);

    // what a killed CLI leaves behind: a run directory whose owner is gone, and one with no owner
    Path abandoned = root.resolve(".agentpkg/run/run-0000000000001-dead");
    Files.createDirectories(abandoned.resolve("lib"));
    Files.writeString(abandoned.resolve("pid"), "2147483646");
    Files.createDirectories(root.resolve(".agentpkg/run/run-0000000000002-none/work"));

    Run r = run("run", pkg.id(), "--isolation", "in-process", "--token", admin);
    assertThat(r.code()).as(r.err()).isEqualTo(5);
    assertThat(r.out()).contains("[note]");
    assertThat(openFilesUnder(root.toRealPath())).isEmpty();
    assertThat(root.resolve(".agentpkg/run")).isEmptyDirectory(); // its own, and the abandoned
  }

  static List<Path> openFilesUnder(Path root) throws IOException {
    List<Path> open = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(root)) {
            open.add(target);
          }
        } catch (IOException gone) {
          // the fd closed while we listed: by definition not held open
        }
      }
    }
    return open;
  }
}

package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad package sources: one clear error, the right exit code, and no partial output left behind. */
class BadInputIT {
  @TempDir Path dir;
  Agentpkg cli;
  Path out;
  int n;

  @BeforeEach
  void setUp() throws Exception {
    cli = new Agentpkg(dir);
    cli.json(0, "keys", "generate", "--out", dir.resolve("k.pem").toString());
    out = dir.resolve("out");
    Files.createDirectories(out);
  }

  private Path src(Consumer<Path> damage) throws Exception {
    Path src = Fixture.source(dir.resolve("src" + n++), "PKG-T2-BAD-001", "T2", "1.0.0");
    damage.accept(src);
    return src;
  }

  private String refuse(int code, Path src, String... extra) throws Exception {
    String[] args = new String[7 + extra.length];
    System.arraycopy(
        new String[] {
          "pack",
          "--src",
          src.toString(),
          "--key",
          dir.resolve("k.pem").toString(),
          "--out",
          out.toString()
        },
        0,
        args,
        0,
        7);
    System.arraycopy(extra, 0, args, 7, extra.length);
    Agentpkg.Result r = cli.json(code, args);
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left.toList()).as("nothing left behind after %s", r.err()).isEmpty();
    }
    assertThat(r.err().lines().filter(l -> l.startsWith("agentpkg: error:")).count()).isEqualTo(1);
    return r.err();
  }

  private static void write(Path p, String s) {
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void descriptorProblems() throws Exception {
    assertThat(refuse(4, src(s -> uncheck(() -> Files.delete(s.resolve("package.json"))))))
        .contains("package.json");
    assertThat(refuse(2, src(s -> write(s.resolve("package.json"), "{\"id\": "))))
        .contains("package.json");
    assertThat(refuse(2, src(s -> rewrite(s, "PKG-T2-BAD-001", "pkg-t2-bad-1"))))
        .contains("pkg-t2-bad-1");
    assertThat(refuse(2, src(s -> rewrite(s, "\"tier\":\"T2\"", "\"tier\":\"T1\""))))
        .contains("tier");
    assertThat(refuse(2, src(s -> rewrite(s, "\"1.0.0\"", "\"1.0\"")))).contains("1.0");
    assertThat(
            refuse(
                2,
                src(
                    s ->
                        rewrite(
                            s,
                            "\"dependencies\":[]",
                            "\"dependencies\":[{\"id\":\"PKG-T1-X-001\",\"version\":\">>1\"}]"))))
        .contains(">>1");
    assertThat(refuse(2, src(s -> rewrite(s, "\"dependencies\"", "\"dependecies\""))))
        .contains("dependecies");
    assertThat(refuse(2, src(s -> {}), "--id", "PKG-T2-OTHER-001")).contains("PKG-T2-OTHER-001");
  }

  @Test
  void unsafePaths() throws Exception {
    assertThat(refuse(2, src(s -> write(s.resolve("registries/evil.csv"), "x"))))
        .contains("registries");
    assertThat(refuse(2, src(s -> write(s.resolve("Ledger/evil"), "x"))))
        .containsIgnoringCase("ledger");
    assertThat(refuse(2, src(s -> write(s.resolve("back\\slash"), "x")))).contains("back");
    assertThat(refuse(2, src(s -> write(s.resolve("ctl\u0001name"), "x")))).contains("ctl");
    assertThat(
            refuse(
                2,
                src(
                    s -> {
                      write(s.resolve("Readme.txt"), "x");
                      write(s.resolve("README.txt"), "y");
                    })))
        .containsIgnoringCase("readme");
    assertThat(
            refuse(
                2,
                src(
                    s -> {
                      write(s.resolve("caf\u00e9"), "nfc");
                      write(s.resolve("cafe\u0301"), "nfd");
                    })))
        .contains("caf");
  }

  @Test
  void nonUtf8LocaleRefusesNonAsciiNamesInsteadOfMisrecordingThem() throws Exception {
    Path src = src(s -> write(s.resolve("caf\u00e9.txt"), "x"));
    cli.env.put("LC_ALL", "C");
    assertThat(refuse(2, src)).contains("UTF-8");
    cli.env.put("LC_ALL", "C.UTF-8");
    cli.json(0, "pack", "--src", src.toString(), "--out", out.toString());
  }

  @Test
  void linksAndSpecialFiles() throws Exception {
    assertThat(
            refuse(
                2,
                src(
                    s ->
                        uncheck(
                            () ->
                                Files.createSymbolicLink(
                                    s.resolve("link"), Path.of("/etc/passwd"))))))
        .contains("symbolic link");
    assertThat(
            refuse(
                2,
                src(
                    s ->
                        uncheck(
                            () ->
                                Files.createSymbolicLink(
                                    s.resolve("dirlink"), s.resolve("modules"))))))
        .contains("symbolic link");
    assumeThat(Agentpkg.onPath("mkfifo")).isTrue();
    assertThat(refuse(2, src(s -> Agentpkg.exec(s, "mkfifo", "pipe")))).contains("FIFO");
  }

  @Test
  void missingOrUnreadableKeyIsNamed() throws Exception {
    Path src = src(s -> {});
    Agentpkg.Result r =
        cli.json(
            4,
            "pack",
            "--src",
            src.toString(),
            "--key",
            dir.resolve("nope.pem").toString(),
            "--out",
            out.toString());
    assertThat(r.err()).contains("nope.pem");
    Files.writeString(
        dir.resolve("garbage.pem"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    r =
        cli.json(
            2,
            "pack",
            "--src",
            src.toString(),
            "--key",
            dir.resolve("garbage.pem").toString(),
            "--out",
            out.toString());
    assertThat(r.err()).contains("garbage.pem");
  }

  private static void rewrite(Path src, String from, String to) {
    uncheck(
        () -> {
          Path p = src.resolve("package.json");
          String s = Files.readString(p);
          assertThat(s).contains(from);
          Files.writeString(p, s.replace(from, to));
        });
  }

  interface IoAction {
    void run() throws Exception;
  }

  private static void uncheck(IoAction a) {
    try {
      a.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The foundation's promises, checked through the shaded jar as a user runs it. */
class FoundationIT {
  @TempDir Path dir;

  @Test
  void versionAndHelpAreCleanAndLoadNoHeavyClasses() {
    Agentpkg cli = new Agentpkg(dir);
    Agentpkg.Result v = cli.run("--version").expect(0);
    assertThat(v.out()).startsWith("agentpkg ");
    assertThat(v.err()).isEmpty();
    Agentpkg.Result help = cli.run("--help").expect(0);
    assertThat(help.out())
        .contains("init", "keys", "token", "pack", "sign", "verify", "ledger", "Exit codes");
    cli.run().expect(2);
    cli.run("no-such-command").expect(2);
  }

  @Test
  void helpAndVersionLoadNoCryptoArchiveOrCsvClasses() throws Exception {
    for (String arg : List.of("--help", "--version", "pack --help", "keys generate --help")) {
      Path log = dir.resolve("classes.txt");
      java.util.List<String> cmd =
          new java.util.ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xlog:class+load:file=" + log,
                  "-jar",
                  Agentpkg.jar().toString()));
      cmd.addAll(List.of(arg.split(" ")));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      assertThat(p.waitFor()).isZero();
      assertThat(Files.readAllLines(log))
          .as("classes loaded by %s", arg)
          .hasSizeGreaterThan(100)
          .noneMatch(
              l ->
                  l.contains("org.bouncycastle")
                      || l.contains("org.apache.commons.compress")
                      || l.contains("com.fasterxml.jackson")
                      || l.contains("dev.agentpkg.integrity.crypto")
                      || l.contains("dev.agentpkg.registry.CsvTable"));
    }
  }

  @Test
  void packsVerifiesAndRecordsBothExamples() throws Exception {
    Fixture fx = new Fixture(dir);
    Path evidence = fx.packExample("evidence", "PKG-T0-EVIDENCE-001");
    Path runtime = fx.packExample("runtime", "PKG-T1-RUNTIME-001");
    for (Path archive : List.of(evidence, runtime)) {
      JsonNode v = fx.cli.json(0, "verify", archive.toString()).json();
      assertThat(v.get("ok").asBoolean()).isTrue();
      assertThat(v.get("trusted").asBoolean()).isTrue();
      assertThat(v.get("signatures").get(0).get("key_id").asText()).isEqualTo(fx.keyId);
      assertThat(v.get("signatures").get(0).get("trust").asText()).isEqualTo("trusted");
      assertThat(v.get("files").asInt()).isPositive();
    }
    JsonNode ledger = fx.cli.json(0, "ledger", "show").json();
    List<String> events = ledger.get("entries").findValuesAsText("event");
    assertThat(events).containsExactly("INIT", "TOKEN_CREATED", "KEY_TRUSTED", "PACKED", "PACKED");
    assertThat(fx.cli.json(0, "ledger", "verify").json().get("entries").asInt()).isEqualTo(5);
    JsonNode packed = ledger.get("entries").get(3);
    assertThat(packed.get("package").get("id").asText()).isEqualTo("PKG-T0-EVIDENCE-001");
    assertThat(packed.get("actor").get("role").asText()).isEqualTo("admin");
  }

  @Test
  void packIsByteForByteDeterministicEvenWhenFileTimesChange() throws Exception {
    Fixture fx = new Fixture(dir);
    Path src = Fixture.source(dir.resolve("src"), "PKG-T2-DET-001", "T2", "1.0.0");
    Path a = dir.resolve("a/out.tar.gz");
    Path b = dir.resolve("b/out.tar.gz");
    Files.createDirectories(a.getParent());
    Files.createDirectories(b.getParent());
    fx.cli.json(
        0, "pack", "--src", src.toString(), "--key", fx.key.toString(), "--out", a.toString());
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : files.toList()) {
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_234_567_890_000L));
      }
    }
    fx.cli.json(
        0, "pack", "--src", src.toString(), "--key", fx.key.toString(), "--out", b.toString());
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    assertThat(Files.readAllBytes(Path.of(a + ".sig")))
        .isEqualTo(Files.readAllBytes(Path.of(b + ".sig")));
  }

  @Test
  void gnuToolsAndOpensslAgreeWithTheArchive() throws Exception {
    Fixture fx = new Fixture(dir);
    Path archive = fx.packExample("runtime", "PKG-T1-RUNTIME-001");
    Path store = archive.getParent();

    assumeThat(Agentpkg.onPath("tar")).isTrue();
    String listing =
        Agentpkg.execOut(
            store, "tar", "--numeric-owner", "-tzvf", archive.getFileName().toString());
    List<String> lines = listing.lines().toList();
    assertThat(lines.get(0)).endsWith(" manifest.json");
    List<String> names =
        lines.stream().skip(1).map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    assertThat(names).isSorted().isNotEmpty();
    for (String line : lines) {
      assertThat(line).startsWith("-").contains(" 0/0 ").contains("1970-01-01 00:00");
    }

    assumeThat(Agentpkg.onPath("sha256sum")).isTrue();
    assertThat(Agentpkg.exec(store, "sha256sum", "-c", archive.getFileName() + ".sha256")).isZero();

    assumeThat(Agentpkg.onPath("openssl")).isTrue();
    JsonNode env = Agentpkg.JSON.readTree(Files.readAllBytes(Path.of(archive + ".sig")));
    byte[] payload = Base64.getDecoder().decode(env.get("payload").asText());
    String type = env.get("payloadType").asText();
    byte[] pae =
        ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ")
            .getBytes(StandardCharsets.UTF_8);
    byte[] message = new byte[pae.length + payload.length];
    System.arraycopy(pae, 0, message, 0, pae.length);
    System.arraycopy(payload, 0, message, pae.length, payload.length);
    Files.write(dir.resolve("pae.bin"), message);
    Files.write(
        dir.resolve("sig.bin"),
        Base64.getDecoder().decode(env.get("signatures").get(0).get("sig").asText()));
    int rc =
        Agentpkg.exec(
            dir,
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            fx.pubKey.toString(),
            "-rawin",
            "-in",
            "pae.bin",
            "-sigfile",
            "sig.bin");
    assertThat(rc).as("openssl verifies the DSSE signature").isZero();
    JsonNode statement = Agentpkg.JSON.readTree(payload);
    assertThat(statement.get("archive_sha256").asText())
        .isEqualTo(Files.readString(Path.of(archive + ".sha256")).substring(0, 64));
    assertThat(statement.get("id").asText()).isEqualTo("PKG-T1-RUNTIME-001");
  }

  @Test
  void launcherKeepsStdoutParseableAcrossTheCdsArchiveRun() throws Exception {
    Agentpkg cli = initViaLauncher();
    assertThat(cli.run("--version").expect(0).out()).startsWith("agentpkg ");
    cli.json(5, "init");
    assertThat(archives()).isNotEmpty();
    // the second run uses the archive; its stdout must be as clean as the first
    assertThat(cli.run("--version").expect(0).err()).isEmpty();
    cli.json(0, "ledger", "verify");
    // hashing commands run with a compiler-directives file; the JVM's notice about loading it
    // must reach neither stream
    Agentpkg.Result check = cli.run("integrity", "check", "--json");
    assertThat(check.err()).doesNotContain("directives");
    assertThat(check.out()).doesNotContain("directives");
    assertThat(Agentpkg.JSON.readTree(check.out()).get("schema").asText())
        .isEqualTo("agentpkg/integrity/v1");
  }

  @Test
  void launcherKeepsAnArchivePerHashingCommandAndNoneFromHelpOrFailedRuns() throws Exception {
    Agentpkg cli = initViaLauncher();
    cli.run("verify", "--help").expect(0);
    cli.run("verify", dir.resolve("missing.tar.gz").toString()).expect(4);
    assertThat(archives()).noneMatch(n -> n.contains("heavy"));
    cli.run("integrity", "check", "-q").expect(0);
    assertThat(archives())
        .anyMatch(n -> n.endsWith("-heavy-integrity.jsa"))
        .noneMatch(n -> n.endsWith("-heavy-verify.jsa"))
        .anyMatch(n -> n.endsWith("-light.jsa"));
    // the archive made, the next run uses it and says nothing about it
    Agentpkg.Result again = cli.run("integrity", "check", "--json");
    assertThat(again.err()).isEmpty();
    assertThat(Agentpkg.JSON.readTree(again.out()).get("healthy").asBoolean()).isTrue();
  }

  /** A fresh root made through scripts/agentpkg, with its AppCDS cache in {@code dir/.cds}. */
  private Agentpkg initViaLauncher() throws Exception {
    Agentpkg cli = new Agentpkg(dir);
    cli.viaLauncher = true;
    cli.env.put("AGENTPKG_ROOT", dir.resolve("root").toString());
    cli.json(0, "init");
    return cli;
  }

  private List<String> archives() throws IOException {
    try (Stream<Path> cds = Files.list(dir.resolve(".cds"))) {
      return cds.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsa")).toList();
    }
  }

  @Test
  void initRefusesAnExistingRootAndNamesIt() throws Exception {
    Fixture fx = new Fixture(dir);
    Agentpkg.Result again = fx.cli.json(5, "init");
    assertThat(again.json().get("error").get("exit_code").asInt()).isEqualTo(5);
    assertThat(again.err()).contains(fx.root.toString());
  }
}

package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC 6 at install, in-process on Jimfs: a module jar that tries any escape from the module API is
 * refused with exit 6 naming class#method and the offending reference, and nothing it contains
 * reaches the root (so nothing of it can ever run).
 */
class InstallCodeScanTest {
  JimfsCli cli;
  FileSystem fs;
  String admin;

  @BeforeEach
  void root() throws Exception {
    cli = new JimfsCli();
    fs = cli.fs;
    admin = cli.init();
    assertThat(cli.run("keys", "generate", "--out", "/work/k.pem").code()).isZero();
    JimfsCli.Run trust =
        cli.run(
            "keys",
            "trust",
            "/work/k.pub.pem",
            "--tiers",
            "T1,T2",
            "--owner",
            "me",
            "--token",
            admin);
    assertThat(trust.code()).as(trust.err()).isZero();
  }

  @AfterEach
  void close() throws Exception {
    cli.close();
  }

  String pack(ModulePackage pkg) throws Exception {
    Path src = pkg.write(fs.getPath("/work/src-" + pkg.id()));
    Files.createDirectories(fs.getPath("/work/out"));
    JimfsCli.Run r =
        cli.run(
            "pack",
            "--src",
            src.toString(),
            "--key",
            "/work/k.pem",
            "--out",
            "/work/out/",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    return r.json().get("archive").asText();
  }

  static Stream<Arguments> escapes() {
    return Stream.of(
        Arguments.of(
            "file",
            "return new java.io.File(\"/etc/passwd\").exists() ? 0 : 1;",
            "java.io.File#<init>"),
        Arguments.of(
            "nio",
            "java.nio.file.Files.readAllBytes(java.nio.file.Path.of(\"/etc/passwd\"));"
                + " return 0;",
            "java.nio.file.Files#readAllBytes"),
        Arguments.of(
            "processbuilder",
            "new ProcessBuilder(\"id\").start(); return 0;",
            "java.lang.ProcessBuilder#<init>"),
        Arguments.of(
            "runtimeexec",
            "Runtime.getRuntime().exec(new String[] {\"id\"}); return 0;",
            "java.lang.Runtime#exec"),
        Arguments.of("exit", "System.exit(3); return 0;", "java.lang.System#exit"),
        Arguments.of(
            "getenv", "return System.getenv(\"HOME\") == null ? 0 : 1;", "java.lang.System#getenv"),
        Arguments.of(
            "forname",
            "Class.forName(\"dev.agentpkg.cli.Main\"); return 0;",
            "java.lang.Class#forName"),
        Arguments.of(
            "setaccessible",
            "java.lang.reflect.Field f = String.class"
                + ".getDeclaredField(\"value\"); f.setAccessible(true); return 0;",
            "java.lang.reflect.Field#setAccessible"),
        Arguments.of(
            "privatelookup",
            "java.lang.invoke.MethodHandles.privateLookupIn(String.class,"
                + " java.lang.invoke.MethodHandles.lookup()); return 0;",
            "java.lang.invoke.MethodHandles#privateLookupIn"),
        Arguments.of(
            "systemloader",
            "ClassLoader.getSystemClassLoader(); return 0;",
            "java.lang.ClassLoader#getSystemClassLoader"),
        Arguments.of(
            "hostloader",
            "return ctx.getClass().getClassLoader() == null ? 0 : 1;",
            "java.lang.Class#getClassLoader"),
        Arguments.of(
            "thread", "new Thread(() -> {}).start(); return 0;", "java.lang.Thread#<init>"),
        Arguments.of(
            "socket",
            "new java.net.Socket(\"127.0.0.1\", 9).close(); return 0;",
            "java.net.Socket#<init>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapes")
  void everyEscapeIsRefusedAtInstallAndNothingOfItLands(String name, String body, String reference)
      throws Exception {
    ModulePackage pkg =
        new ModulePackage("PKG-T2-ESCAPE" + name.toUpperCase(java.util.Locale.ROOT) + "-001")
            .module("evil." + "Mod", body);
    refused(pkg, "evil.Mod#run(", reference);
  }

  @Test
  void aNestedJarOrANativeLibraryInsideTheModuleJarIsRefused() throws Exception {
    ModulePackage pkg =
        new ModulePackage("PKG-T2-SMUGGLER-001")
            .module("evil.Mod", "return 0;")
            .jarEntry("lib/inner.jar", new byte[] {'P', 'K', 3, 4})
            .jarEntry("native/libevil.so", new byte[] {0x7f, 'E', 'L', 'F'});
    refused(pkg, "nested jar lib/inner.jar", "native library native/libevil.so");
  }

  @Test
  void aPermittedModuleInstallsAndTheVerdictIsInTheLedger() throws Exception {
    ModulePackage pkg =
        new ModulePackage("PKG-T2-GOOD-001")
            .module(
                "good.Mod",
                "List<String> l = new ArrayList<>(ctx.arguments()); Collections.sort(l);"
                    + " ctx.out().println(\"args \" + l); return l.size();");
    JimfsCli.Run r = cli.run("install", "--archive", pack(pkg), "--token", admin, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("checks").toString())
        .contains("bytecode scan: 1 jar, 1 class: allowed");
    JsonNode started = lastEvent(cli.run("ledger", "show", "--json").json(), "INSTALL_STARTED");
    JsonNode scan = started.get("details").get("code_scan");
    assertThat(scan.get("verdict").asText()).isEqualTo("allowed");
    assertThat(scan.get("classes").asInt()).isEqualTo(1);
    assertThat(scan.get("policy_sha256").asText()).matches("[0-9a-f]{64}");
  }

  private void refused(ModulePackage pkg, String... expected) throws Exception {
    String archive = pack(pkg);
    JimfsCli.Run r = cli.run("install", "--archive", archive, "--token", admin);
    assertThat(r.code()).as(r.err()).isEqualTo(6);
    assertThat(r.err()).contains(pkg.id() + " is refused by the bytecode scan");
    for (String e : expected) {
      assertThat(r.err()).contains(e);
    }
    assertThat(r.out()).isEmpty();
    assertThat(fs.getPath("/srv/root/modules")).doesNotExist();
    assertThat(cli.run("list", "--json").json().get("count").asInt()).isZero();
    try (Stream<Path> staging = Files.list(fs.getPath("/srv/root/.agentpkg/staging"))) {
      assertThat(staging).isEmpty();
    }
    List<String> events =
        cli.run("ledger", "show", "--json").json().get("entries").findValuesAsText("event");
    assertThat(events).last().isEqualTo("INSTALL_FAILED");
  }

  static JsonNode lastEvent(JsonNode ledger, String event) {
    JsonNode found = null;
    for (JsonNode e : ledger.get("entries")) {
      if (e.get("event").asText().equals(event)) {
        found = e;
      }
    }
    assertThat(found).as(event).isNotNull();
    return found;
  }
}

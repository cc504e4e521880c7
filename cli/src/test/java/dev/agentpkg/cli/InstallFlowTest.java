package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Install, upgrade, downgrade and uninstall in-process on Jimfs: the plan logic, fast. */
class InstallFlowTest {
  JimfsCli cli;
  java.nio.file.FileSystem fs;
  String admin;

  @org.junit.jupiter.api.AfterEach
  void close() throws Exception {
    cli.close();
  }

  JimfsCli.Run run(String... args) {
    return cli.run(args);
  }

  @BeforeEach
  void root() throws Exception {
    cli = new JimfsCli();
    fs = cli.fs;
    admin = cli.init();
    assertThat(run("keys", "generate", "--out", "/work/k.pem").code()).isZero();
    assertThat(
            run(
                    "keys",
                    "trust",
                    "/work/k.pub.pem",
                    "--tiers",
                    "T1,T2",
                    "--owner",
                    "me",
                    "--token",
                    admin)
                .code())
        .isZero();
  }

  Path source(String id, String version, String... files) throws Exception {
    Path src = fs.getPath("/work/src-" + id + "-" + version);
    Files.createDirectories(src);
    Files.writeString(
        src.resolve("package.json"),
        "{\"id\":\""
            + id
            + "\",\"name\":\"n\",\"version\":\""
            + version
            + "\",\"tier\":\"T2\",\"spec_id\":\"SPEC-X\"}");
    for (String f : files) {
      String[] kv = f.split("=", 2);
      Path p = src.resolve(kv[0]);
      Files.createDirectories(p.getParent());
      Files.writeString(p, kv[1]);
    }
    return src;
  }

  String pack(Path src) throws Exception {
    Files.createDirectories(fs.getPath("/work/out"));
    JimfsCli.Run r =
        run(
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

  JsonNode install(int code, String archive, String... extra) throws Exception {
    String[] args = new String[6 + extra.length];
    System.arraycopy(
        new String[] {"install", "--archive", archive, "--token", admin, "--json"}, 0, args, 0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    JimfsCli.Run r = run(args);
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    return r.json();
  }

  List<String> ledgerEvents() throws Exception {
    return run("ledger", "show", "--json").json().get("entries").findValuesAsText("event");
  }

  @Test
  void upgradeReplacesAddsAndRemovesExactlyWhatThePlanSays() throws Exception {
    String v1 =
        pack(source("PKG-T2-APP-001", "1.0.0", "app/a.txt=a1", "app/b.txt=b1", "app/old.txt=old"));
    String v2 =
        pack(source("PKG-T2-APP-001", "2.0.0", "app/a.txt=a2", "app/b.txt=b1", "app/new/n.txt=n"));
    JsonNode first = install(0, v1);
    assertThat(first.get("action").asText()).isEqualTo("install");
    assertThat(Files.readString(fs.getPath("/srv/root/app/old.txt"))).isEqualTo("old");

    int before = ledgerEvents().size();
    JsonNode plan = install(0, v2, "--dry-run");
    assertThat(plan.get("dry_run").asBoolean()).isTrue();
    assertThat(plan.get("files").get("add").findValuesAsText("x")).isEmpty();
    assertThat(texts(plan.get("files").get("add"))).containsExactly("app/new/n.txt");
    assertThat(texts(plan.get("files").get("replace"))).containsExactly("app/a.txt", "app/b.txt");
    assertThat(texts(plan.get("files").get("remove"))).containsExactly("app/old.txt");
    assertThat(ledgerEvents()).hasSize(before);
    assertThat(Files.readString(fs.getPath("/srv/root/app/a.txt"))).isEqualTo("a1");

    JsonNode upgrade = install(0, v2);
    assertThat(upgrade.get("action").asText()).isEqualTo("upgrade");
    assertThat(upgrade.get("previous_version").asText()).isEqualTo("1.0.0");
    assertThat(Files.readString(fs.getPath("/srv/root/app/a.txt"))).isEqualTo("a2");
    assertThat(Files.readString(fs.getPath("/srv/root/app/new/n.txt"))).isEqualTo("n");
    assertThat(fs.getPath("/srv/root/app/old.txt")).doesNotExist();
    assertThat(ledgerEvents()).endsWith("INSTALL_STARTED", "INSTALLED");

    // same again: no-op without a ledger line; older: refused unless asked for
    int now = ledgerEvents().size();
    assertThat(install(0, v2).get("action").asText()).isEqualTo("reinstall");
    assertThat(ledgerEvents()).hasSize(now);
    install(5, v1);
    assertThat(install(0, v1, "--allow-downgrade").get("action").asText()).isEqualTo("downgrade");
    assertThat(Files.readString(fs.getPath("/srv/root/app/old.txt"))).isEqualTo("old");
    assertThat(fs.getPath("/srv/root/app/new")).doesNotExist();
  }

  @Test
  void anUpgradeNeverOverwritesLocallyEditedFilesUnlessForced() throws Exception {
    install(
        0,
        pack(source("PKG-T2-APP-001", "1.0.0", "app/a.txt=a1", "app/same.txt=s", "app/old.txt=o")));
    String v2 = pack(source("PKG-T2-APP-001", "2.0.0", "app/a.txt=a2", "app/same.txt=s"));
    Files.writeString(fs.getPath("/srv/root/app/same.txt"), "my local edit");
    Files.writeString(fs.getPath("/srv/root/app/old.txt"), "edited too");
    int before = ledgerEvents().size();

    JimfsCli.Run refused = run("install", "--archive", v2, "--token", admin);
    assertThat(refused.code()).as(refused.err()).isEqualTo(5);
    assertThat(refused.err())
        .contains("2 file(s) of the installed PKG-T2-APP-001 changed since install")
        .contains("app/old.txt, app/same.txt")
        .contains("--force");
    assertThat(Files.readString(fs.getPath("/srv/root/app/same.txt"))).isEqualTo("my local edit");
    assertThat(Files.readString(fs.getPath("/srv/root/app/a.txt"))).isEqualTo("a1");
    assertThat(ledgerEvents()).hasSize(before + 1).last().isEqualTo("INSTALL_FAILED");

    JsonNode forced = install(0, v2, "--force");
    assertThat(forced.get("checks").toString())
        .contains("2 locally changed file(s) overwritten with --force");
    assertThat(Files.readString(fs.getPath("/srv/root/app/same.txt"))).isEqualTo("s");
    assertThat(fs.getPath("/srv/root/app/old.txt")).doesNotExist();
  }

  @Test
  void sameVersionFromDifferentBytesIsRefused() throws Exception {
    install(0, pack(source("PKG-T2-APP-001", "1.0.0", "app/a.txt=one")));
    String other = pack(source("PKG-T2-APP-001", "1.0.0", "app/a.txt=two"));
    install(3, other);
  }

  @Test
  void ownershipConflictsAndTransfers() throws Exception {
    install(0, pack(source("PKG-T2-ONE-001", "1.0.0", "shared/x.txt=one")));
    String two = pack(source("PKG-T2-TWO-001", "1.0.0", "shared/x.txt=two"));
    JimfsCli.Run r = run("install", "--archive", two, "--token", admin);
    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err()).contains("shared/x.txt is owned by PKG-T2-ONE-001");
    assertThat(ledgerEvents()).endsWith("INSTALL_FAILED");

    install(0, two, "--allow-transfer");
    assertThat(Files.readString(fs.getPath("/srv/root/shared/x.txt"))).isEqualTo("two");
    // ONE no longer owns it, so uninstalling ONE leaves TWO's file alone
    assertThat(run("uninstall", "--id", "PKG-T2-ONE-001", "--token", admin).code()).isZero();
    assertThat(Files.readString(fs.getPath("/srv/root/shared/x.txt"))).isEqualTo("two");

    Files.writeString(fs.getPath("/srv/root/stray.txt"), "mine");
    JimfsCli.Run unowned =
        run(
            "install",
            "--archive",
            pack(source("PKG-T2-THREE-001", "1.0.0", "stray.txt=pkg")),
            "--token",
            admin);
    assertThat(unowned.code()).isEqualTo(5);
    assertThat(unowned.err()).contains("stray.txt already exists and no package owns it");
    assertThat(Files.readString(fs.getPath("/srv/root/stray.txt"))).isEqualTo("mine");
  }

  @Test
  void uninstallKeepsEditedFilesUnlessForcedAndPrunesEmptyDirectories() throws Exception {
    install(0, pack(source("PKG-T2-APP-001", "1.0.0", "app/deep/a.txt=a", "app/b.txt=b")));
    Files.writeString(fs.getPath("/srv/root/app/b.txt"), "edited");
    JimfsCli.Run kept = run("uninstall", "--id", "PKG-T2-APP-001", "--token", admin);
    assertThat(kept.code()).isEqualTo(5);
    assertThat(kept.err()).contains("app/b.txt");
    assertThat(fs.getPath("/srv/root/app/deep/a.txt")).exists();
    assertThat(run("uninstall", "--id", "PKG-T2-APP-001", "--token", admin, "--force").code())
        .isZero();
    assertThat(fs.getPath("/srv/root/app")).doesNotExist();
    assertThat(run("list", "--json").json().get("count").asInt()).isZero();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}

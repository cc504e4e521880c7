package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of packages in a root through the shaded jar: install, upgrade (planned exactly by its
 * dry run), no-op reinstall, refused rewrite of a version, downgrade, uninstall with dependents and
 * local edits, and a clean return to the initial root.
 */
class InstallLifecycleIT {
  static final String EVIDENCE = "PKG-T0-EVIDENCE-001";
  static final String RUNTIME = "PKG-T1-RUNTIME-001";

  @TempDir Path dir;

  @Test
  void examplesInstallDependOnEachOtherUninstallCleanlyAndReinstallFromTheStore() throws Exception {
    Fixture fx = new Fixture(dir);
    fx.packExample("evidence", EVIDENCE);
    fx.packExample("runtime", RUNTIME);
    Path root = fx.root;
    String[] notPayload = {"registries", "ledger", "packages_store", ".agentpkg"};
    RootSnapshot.SortedView initial = RootSnapshot.of(root, notPayload);
    Map<String, String> initialPrivate = RootSnapshot.of(root.resolve(".agentpkg"), "lock").files();

    Agentpkg.Result missing = fx.cli.run("install", RUNTIME, "--token", fx.adminToken).expect(5);
    assertThat(missing.err()).contains(EVIDENCE);

    JsonNode ev = fx.cli.json(0, "install", EVIDENCE, "--token", fx.adminToken).json();
    assertThat(ev.get("action").asText()).isEqualTo("install");
    assertThat(ev.get("version").asText()).isEqualTo("0.1.0");
    JsonNode rt = fx.cli.json(0, "install", RUNTIME, "--token", fx.adminToken).json();
    assertThat(rt.get("files").get("add")).isNotEmpty();
    Map<String, String> owners = RootSnapshot.assertFilesMatchRegistry(root);
    assertThat(owners).containsValues(EVIDENCE, RUNTIME);
    assertThat(owners).containsKey("modules/PKG-T1-RUNTIME-001/lib/agent-runtime.jar");
    JsonNode list = fx.cli.json(0, "list").json();
    assertThat(RootSnapshot.ids(list)).containsExactlyInAnyOrder(EVIDENCE, RUNTIME);

    // a dependency cannot go while its dependent stays; nothing is touched
    RootSnapshot.SortedView installed = RootSnapshot.of(root, ".agentpkg");
    Agentpkg.Result needed =
        fx.cli.run("uninstall", "--id", EVIDENCE, "--token", fx.adminToken).expect(5);
    assertThat(needed.err()).contains(RUNTIME);
    assertThat(RootSnapshot.of(root, ".agentpkg")).isEqualTo(installed);

    JsonNode un = fx.cli.json(0, "uninstall", "--id", RUNTIME, "--token", fx.adminToken).json();
    assertThat(un.get("files").get("remove")).hasSize(rt.get("files").get("add").size());
    fx.cli.json(0, "uninstall", "--id", EVIDENCE, "--token", fx.adminToken);

    assertThat(RootSnapshot.of(root, notPayload))
        .as("files and folders outside the reserved dirs after uninstalling everything")
        .isEqualTo(initial);
    assertThat(RootSnapshot.of(root.resolve(".agentpkg"), "lock").files())
        .isEqualTo(initialPrivate);
    assertThat(RootSnapshot.children(root.resolve(".agentpkg/journal"))).isEmpty();
    assertThat(RootSnapshot.children(root.resolve(".agentpkg/staging"))).isEmpty();
    assertThat(RootSnapshot.ownedFiles(root)).isEmpty();
    assertThat(fx.cli.json(0, "list").json().get("packages")).isEmpty();
    // the archives stay in the store
    assertThat(root.resolve("packages_store/" + EVIDENCE + "-0.1.0.tar.gz")).isRegularFile();

    fx.cli.json(0, "install", EVIDENCE, "--token", fx.adminToken);
    assertThat(RootSnapshot.assertFilesMatchRegistry(root)).isNotEmpty().containsValue(EVIDENCE);
    assertThat(RootSnapshot.ids(fx.cli.json(0, "list").json())).containsExactly(EVIDENCE);

    fx.cli.json(0, "ledger", "verify");
    List<String> events = RootSnapshot.events(root);
    assertThat(events.stream().filter(e -> e.equals("INSTALLED"))).hasSize(3);
    assertThat(events.stream().filter(e -> e.equals("UNINSTALLED"))).hasSize(2);
    assertThat(events.get(events.size() - 1)).isEqualTo("INSTALLED");
  }

  @Test
  void upgradeFollowsItsDryRunAndVersionsAreImmutable() throws Exception {
    Fixture fx = new Fixture(dir);
    Path root = fx.root;
    String id = "PKG-T2-LIFE-001";
    String m = "modules/" + id + "/";
    Map<String, String> v1 =
        Map.of(
            m + "bin/run.sh", "#!/bin/sh\necho one\n",
            m + "lib/a.txt", "alpha 1\n",
            m + "old/drop.txt", "dropped in 2.0.0\n");
    Map<String, String> v2 =
        Map.of(
            m + "bin/run.sh", "#!/bin/sh\necho two\n",
            m + "lib/a.txt", "alpha 2\n",
            m + "new/added.txt", "added in 2.0.0\n");
    Path a1 =
        RootSnapshot.pack(
            fx, RootSnapshot.source(dir.resolve("s1"), id, "T2", "1.0.0", v1), dir.resolve("o1"));
    Path a2 =
        RootSnapshot.pack(
            fx, RootSnapshot.source(dir.resolve("s2"), id, "T2", "2.0.0", v2), dir.resolve("o2"));
    Map<String, String> v2changed = new LinkedHashMap<>(v2);
    v2changed.put(m + "lib/a.txt", "alpha 2, quietly rebuilt\n");
    Path a2x =
        RootSnapshot.pack(
            fx,
            RootSnapshot.source(dir.resolve("s3"), id, "T2", "2.0.0", v2changed),
            dir.resolve("o3"));
    assertThat(a2x.getFileName()).isEqualTo(a2.getFileName());

    JsonNode first =
        fx.cli.json(0, "install", "--archive", a1.toString(), "--token", fx.adminToken).json();
    assertThat(first.get("action").asText()).isEqualTo("install");
    assertThat(texts(first.get("files").get("add")))
        .containsExactlyInAnyOrderElementsOf(v1.keySet());
    RootSnapshot.assertFilesMatchRegistry(root);
    RootSnapshot.SortedView payloadV1 = RootSnapshot.payload(root);
    assertThat(payloadV1.files()).isEqualTo(expected(v1));

    // the dry run plans the upgrade and changes nothing at all, ledger included
    RootSnapshot.SortedView everything = RootSnapshot.of(root);
    JsonNode dry =
        fx.cli
            .json(0, "install", "--archive", a2.toString(), "--dry-run", "--token", fx.adminToken)
            .json();
    assertThat(RootSnapshot.of(root)).isEqualTo(everything);
    assertThat(dry.get("dry_run").asBoolean()).isTrue();
    assertThat(dry.get("action").asText()).isEqualTo("upgrade");
    assertThat(dry.get("previous_version").asText()).isEqualTo("1.0.0");
    assertThat(texts(dry.get("files").get("add"))).containsExactly(m + "new/added.txt");
    assertThat(texts(dry.get("files").get("replace")))
        .containsExactlyInAnyOrder(m + "bin/run.sh", m + "lib/a.txt");
    assertThat(texts(dry.get("files").get("remove"))).containsExactly(m + "old/drop.txt");

    JsonNode up =
        fx.cli.json(0, "install", "--archive", a2.toString(), "--token", fx.adminToken).json();
    assertThat(up.get("dry_run").asBoolean()).isFalse();
    assertThat(up.get("files")).isEqualTo(dry.get("files"));
    RootSnapshot.SortedView payloadV2 = RootSnapshot.payload(root);
    assertThat(payloadV2.files()).isEqualTo(expected(v2));
    assertThat(payloadV2.entries()).doesNotContainKey(m + "old/");
    RootSnapshot.assertFilesMatchRegistry(root);
    assertThat(version(fx, id)).isEqualTo("2.0.0");

    // the same version from the same archive again: nothing to do, nothing recorded
    RootSnapshot.SortedView upgraded = RootSnapshot.of(root);
    JsonNode again =
        fx.cli.json(0, "install", "--archive", a2.toString(), "--token", fx.adminToken).json();
    assertThat(again.get("action").asText()).isEqualTo("reinstall");
    JsonNode fromStore = fx.cli.json(0, "install", id + "@2.0.0", "--token", fx.adminToken).json();
    assertThat(fromStore.get("action").asText()).isEqualTo("reinstall");
    assertThat(RootSnapshot.of(root)).isEqualTo(upgraded);

    // a different archive under the same id and version is refused
    RootSnapshot.SortedView store = RootSnapshot.of(root.resolve("packages_store"));
    Agentpkg.Result rewritten =
        fx.cli.run("install", "--archive", a2x.toString(), "--token", fx.adminToken).expect(3);
    assertThat(rewritten.err()).contains(id).contains("2.0.0");
    assertThat(RootSnapshot.payload(root)).isEqualTo(payloadV2);
    assertThat(RootSnapshot.of(root.resolve("packages_store"))).isEqualTo(store);

    // going back needs --allow-downgrade, and then restores 1.0.0 exactly
    Agentpkg.Result older =
        fx.cli.run("install", "--archive", a1.toString(), "--token", fx.adminToken).expect(5);
    assertThat(older.err()).contains("--allow-downgrade");
    assertThat(RootSnapshot.payload(root)).isEqualTo(payloadV2);
    JsonNode down =
        fx.cli
            .json(
                0,
                "install",
                "--archive",
                a1.toString(),
                "--allow-downgrade",
                "--token",
                fx.adminToken)
            .json();
    assertThat(down.get("action").asText()).isEqualTo("downgrade");
    assertThat(RootSnapshot.payload(root)).isEqualTo(payloadV1);
    RootSnapshot.assertFilesMatchRegistry(root);
    assertThat(version(fx, id)).isEqualTo("1.0.0");
    fx.cli.json(0, "ledger", "verify");
    assertThat(RootSnapshot.children(root.resolve(".agentpkg/staging"))).isEmpty();
  }

  @Test
  void uninstallKeepsALocallyModifiedFileUnlessForced() throws Exception {
    Fixture fx = new Fixture(dir);
    Path root = fx.root;
    String id = "PKG-T2-EDIT-001";
    String m = "modules/" + id + "/";
    Path a =
        RootSnapshot.pack(
            fx,
            RootSnapshot.source(
                dir.resolve("s"),
                id,
                "T2",
                "1.0.0",
                Map.of(m + "lib/a.txt", "a\n", m + "lib/b.txt", "b\n")),
            dir.resolve("o"));
    fx.cli.json(0, "install", "--archive", a.toString(), "--token", fx.adminToken);
    Files.writeString(root.resolve(m + "lib/b.txt"), "edited on the server\n");

    RootSnapshot.SortedView edited = RootSnapshot.of(root, ".agentpkg");
    Agentpkg.Result kept = fx.cli.run("uninstall", "--id", id, "--token", fx.adminToken).expect(5);
    assertThat(kept.err())
        .contains(m + "lib/b.txt")
        .contains("--force")
        .doesNotContain("lib/a.txt");
    assertThat(RootSnapshot.of(root, ".agentpkg")).as("everything kept").isEqualTo(edited);

    JsonNode forced =
        fx.cli.json(0, "uninstall", "--id", id, "--force", "--token", fx.adminToken).json();
    assertThat(texts(forced.get("files").get("remove")))
        .containsExactlyInAnyOrder(m + "lib/a.txt", m + "lib/b.txt");
    assertThat(RootSnapshot.payload(root).entries()).isEmpty();
    assertThat(RootSnapshot.ownedFiles(root)).isEmpty();
    assertThat(fx.cli.json(0, "list").json().get("packages")).isEmpty();
    fx.cli.json(0, "ledger", "verify");
    assertThat(RootSnapshot.events(root).get(RootSnapshot.events(root).size() - 1))
        .isEqualTo("UNINSTALLED");
  }

  /**
   * CI systems name build outputs as they like (here both "build.tar.gz"); the store must still
   * keep each installed archive as {@code <ID>-<VERSION>.tar.gz}, or two packages collide in it and
   * {@code install ID} cannot find the archive again after an uninstall.
   */
  @Test
  void installedArchivesAreStoredUnderTheirIdAndVersionWhateverTheirFileName() throws Exception {
    Fixture fx = new Fixture(dir);
    Path root = fx.root;
    List<String> ids = List.of("PKG-T2-NAMEA-001", "PKG-T2-NAMEB-001");
    for (String id : ids) {
      Path packed =
          RootSnapshot.pack(
              fx,
              RootSnapshot.source(
                  dir.resolve("s-" + id),
                  id,
                  "T2",
                  "1.0.0",
                  Map.of("modules/" + id + "/x.txt", id + "\n")),
              dir.resolve("o-" + id));
      Path build = packed.resolveSibling("build.tar.gz");
      for (String suffix : List.of("", ".sig", ".sha256")) {
        Files.move(Path.of(packed + suffix), Path.of(build + suffix));
      }
      fx.cli.json(0, "install", "--archive", build.toString(), "--token", fx.adminToken);
    }
    assertThat(RootSnapshot.children(root.resolve("packages_store")))
        .containsExactly(
            "PKG-T2-NAMEA-001-1.0.0.tar.gz",
            "PKG-T2-NAMEA-001-1.0.0.tar.gz.sha256",
            "PKG-T2-NAMEA-001-1.0.0.tar.gz.sig",
            "PKG-T2-NAMEB-001-1.0.0.tar.gz",
            "PKG-T2-NAMEB-001-1.0.0.tar.gz.sha256",
            "PKG-T2-NAMEB-001-1.0.0.tar.gz.sig");
    Path stored = root.resolve("packages_store/PKG-T2-NAMEA-001-1.0.0.tar.gz");
    assertThat(Files.readString(Path.of(stored + ".sha256")))
        .isEqualTo(RootSnapshot.sha256(stored) + "  " + stored.getFileName() + "\n");

    fx.cli.json(0, "uninstall", "--id", ids.get(0), "--token", fx.adminToken);
    fx.cli.json(0, "install", ids.get(0), "--token", fx.adminToken);
    fx.cli.json(0, "verify", stored.toString());
    assertThat(RootSnapshot.ids(fx.cli.json(0, "list").json()))
        .containsExactlyInAnyOrderElementsOf(ids);
    RootSnapshot.assertFilesMatchRegistry(root);
  }

  private static String version(Fixture fx, String id) {
    for (JsonNode p : fx.cli.json(0, "list").json().get("packages")) {
      if (p.get("id").asText().equals(id)) {
        return p.get("version").asText();
      }
    }
    return null;
  }

  private static List<String> texts(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }

  /** What a payload snapshot must show for these files: hash and mode (".sh" executable). */
  private static Map<String, String> expected(Map<String, String> files) {
    Map<String, String> out = new TreeMap<>();
    files.forEach(
        (p, text) ->
            out.put(p, RootSnapshot.sha256(text) + (p.endsWith(".sh") ? " 0755" : " 0644")));
    return out;
  }
}

package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the process (Runtime.halt, as kill -9 would) at every named point of an install, an upgrade
 * and an uninstall, then proves that {@code doctor --resume} and {@code doctor --rollback} each
 * leave files, registry and ledger in exact agreement: the new state fully, or the old state
 * exactly.
 *
 * <p>The roots every case starts from are made once and copied; the cases run on a small pool so
 * the many JVM start-ups overlap, each still reported as its own test.
 */
class CrashRecoveryIT {
  static final String ID = "PKG-T2-UPG-001";
  static final String M = "modules/" + ID + "/";
  static final Map<String, String> V1 =
      ordered(
          M + "bin/run.sh", "#!/bin/sh\necho one\n",
          M + "lib/a.txt", "alpha 1\n",
          M + "old/drop.txt", "dropped in 2.0.0\n");
  static final Map<String, String> V2 =
      ordered(
          M + "bin/run.sh", "#!/bin/sh\necho two\n",
          M + "lib/a.txt", "alpha 2\n",
          M + "new/added.txt", "added in 2.0.0\n");

  static final List<String> INSTALL_POINTS =
      List.of(
          "after-journal",
          "after-backup",
          "after-first-move",
          "after-moves",
          "before-registry",
          "before-ledger",
          "before-cleanup");
  static final List<String> UNINSTALL_POINTS =
      List.of(
          "after-journal", "after-backup", "before-registry", "before-ledger", "before-cleanup");

  @TempDir static Path base;
  static String admin;
  static Path v1;
  static Path v2;
  static Path other;
  static Path emptyRoot;
  static Path v1Root;
  static Path v2Root;
  static JsonNode v1List;
  static JsonNode v2List;
  static ExecutorService pool;

  enum Scenario {
    FRESH,
    UPGRADE,
    UNINSTALL
  }

  record Case(Scenario scenario, String point, boolean resume) {
    String name() {
      return scenario.name().toLowerCase(java.util.Locale.ROOT)
          + "-"
          + point
          + "-"
          + (resume ? "resume" : "rollback");
    }
  }

  @BeforeAll
  static void prepareRootsOnce() throws IOException {
    Fixture fx = new Fixture(Files.createDirectories(base.resolve("setup")));
    admin = fx.adminToken;
    Path archives = base.resolve("archives");
    v1 =
        RootSnapshot.pack(
            fx, RootSnapshot.source(base.resolve("src-v1"), ID, "T2", "1.0.0", V1), archives);
    v2 =
        RootSnapshot.pack(
            fx, RootSnapshot.source(base.resolve("src-v2"), ID, "T2", "2.0.0", V2), archives);
    other =
        RootSnapshot.pack(
            fx,
            RootSnapshot.source(
                base.resolve("src-other"),
                "PKG-T2-OTHER-001",
                "T2",
                "1.0.0",
                Map.of("modules/PKG-T2-OTHER-001/x.txt", "x\n")),
            archives);
    assertThat(v1.getFileName()).hasToString(ID + "-1.0.0.tar.gz");

    emptyRoot = base.resolve("pristine-empty");
    RootSnapshot.copyTree(fx.root, emptyRoot);
    fx.cli.json(0, "install", "--archive", v1.toString(), "--token", admin);
    v1List = fx.cli.json(0, "list").json();
    v1Root = base.resolve("pristine-v1");
    RootSnapshot.copyTree(fx.root, v1Root);
    fx.cli.json(0, "install", "--archive", v2.toString(), "--token", admin);
    v2List = fx.cli.json(0, "list").json();
    v2Root = base.resolve("pristine-v2");
    RootSnapshot.copyTree(fx.root, v2Root);

    // the references themselves must be right, or every comparison below proves nothing
    assertThat(RootSnapshot.payload(v1Root).files().keySet())
        .containsExactlyElementsOf(V1.keySet());
    assertThat(RootSnapshot.payload(v2Root).files().keySet())
        .containsExactlyElementsOf(V2.keySet());
    assertThat(RootSnapshot.payload(v2Root).files().get(M + "bin/run.sh")).endsWith(" 0755");
    assertThat(RootSnapshot.payload(v2Root).entries()).doesNotContainKey(M + "old/");
    RootSnapshot.assertFilesMatchRegistry(v1Root);
    RootSnapshot.assertFilesMatchRegistry(v2Root);
    assertThat(RootSnapshot.payload(emptyRoot).entries()).isEmpty();

    pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  @AfterAll
  static void stopPool() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCrashPointIsResumedOrRolledBackCleanly() {
    List<Case> cases = new ArrayList<>();
    for (Scenario s : List.of(Scenario.FRESH, Scenario.UPGRADE)) {
      for (String p : INSTALL_POINTS) {
        cases.add(new Case(s, p, true));
        cases.add(new Case(s, p, false));
      }
    }
    for (String p : UNINSTALL_POINTS) {
      cases.add(new Case(Scenario.UNINSTALL, p, true));
      cases.add(new Case(Scenario.UNINSTALL, p, false));
    }
    Map<String, Future<?>> running = new LinkedHashMap<>();
    // a crash before the journal: one case per install scenario, one recovery flag each
    running.put(
        "fresh-after-staging-stray-cleaned",
        pool.submit(() -> crashBeforeJournal(Scenario.FRESH, "--rollback")));
    running.put(
        "upgrade-after-staging-stray-cleaned",
        pool.submit(() -> crashBeforeJournal(Scenario.UPGRADE, "--resume")));
    for (Case c : cases) {
      running.put(c.name(), pool.submit(() -> crashAndRecover(c)));
    }
    return running.entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> await(e.getValue())));
  }

  private static Void crashAndRecover(Case c) throws IOException {
    Path dir = base.resolve("case-" + c.name());
    Path root = dir.resolve("root");
    RootSnapshot.copyTree(c.scenario() == Scenario.FRESH ? emptyRoot : v1Root, root);
    Agentpkg cli = cli(dir, root);
    RootSnapshot.SortedView payloadBefore =
        RootSnapshot.of(root, "registries", "ledger", ".agentpkg");
    byte[] ledgerBefore = Files.readAllBytes(root.resolve("ledger/governance.jsonl"));
    byte[] registryBefore = Files.readAllBytes(root.resolve("registries/packages_registry.csv"));
    Map<String, List<RootSnapshot.Owned>> filesBefore = RootSnapshot.ownedFiles(root);
    boolean uninstall = c.scenario() == Scenario.UNINSTALL;

    Agentpkg crashing = cli(dir, root);
    crashing.env.put("AGENTPKG_TEST_CRASH_AT", c.point());
    Agentpkg.Result crash =
        uninstall
            ? crashing.run("uninstall", "--id", ID, "--token", admin)
            : crashing.run(
                "install",
                "--archive",
                (c.scenario() == Scenario.FRESH ? v1 : v2).toString(),
                "--token",
                admin);
    crash.expect(86);
    byte[] ledgerCrashed = Files.readAllBytes(root.resolve("ledger/governance.jsonl"));
    assertThat(startsWith(ledgerCrashed, ledgerBefore))
        .as("the ledger is only appended to")
        .isTrue();

    // the next mutating command refuses, names doctor, and writes nothing
    Agentpkg.Result refused =
        cli.run("install", "--archive", other.toString(), "--token", admin).expect(5);
    assertThat(refused.err()).contains("agentpkg doctor");
    assertThat(Files.readAllBytes(root.resolve("ledger/governance.jsonl")))
        .isEqualTo(ledgerCrashed);
    assertThat(root.resolve("modules/PKG-T2-OTHER-001")).doesNotExist();

    // exit 5 while a transaction is pending; the report itself is the JSON on stdout
    Agentpkg.Result found = cli.run("doctor", "--json").expect(5);
    assertThat(found.err()).contains("1 interrupted transaction(s) pending");
    JsonNode doctor = found.json();
    assertThat(doctor.get("healthy").asBoolean()).isFalse();
    assertThat(doctor.get("pending")).hasSize(1);
    JsonNode pending = doctor.get("pending").get(0);
    String tx = pending.get("tx").asText();
    assertThat(pending.get("op").asText()).isEqualTo(uninstall ? "uninstall" : "install");
    assertThat(pending.get("id").asText()).isEqualTo(ID);
    assertThat(pending.get("version").asText())
        .isEqualTo(c.scenario() == Scenario.UPGRADE ? "2.0.0" : "1.0.0");
    assertThat(RootSnapshot.children(root.resolve(".agentpkg/journal")))
        .containsExactly(tx + ".json");

    boolean committed = c.point().equals("before-cleanup");
    boolean resumed = c.resume() || committed;
    if (!c.resume() && committed) {
      // the ledger already says INSTALLED/UNINSTALLED: undoing now would make it lie
      Agentpkg.Result no = cli.run("doctor", "--rollback", "--token", admin).expect(5);
      assertThat(no.err()).contains(tx).contains("--resume");
      assertThat(Files.readAllBytes(root.resolve("ledger/governance.jsonl")))
          .isEqualTo(ledgerCrashed);
      assertThat(RootSnapshot.children(root.resolve(".agentpkg/journal")))
          .containsExactly(tx + ".json");
    }
    JsonNode recovered =
        cli.json(0, "doctor", resumed ? "--resume" : "--rollback", "--token", admin).json();
    assertThat(recovered.get("recovered")).hasSize(1);
    assertThat(recovered.get("recovered").get(0).get("tx").asText()).isEqualTo(tx);

    assertThat(RootSnapshot.children(root.resolve(".agentpkg/journal"))).as("journal").isEmpty();
    assertThat(RootSnapshot.children(root.resolve(".agentpkg/staging"))).as("staging").isEmpty();
    RootSnapshot.assertFilesMatchRegistry(root);
    cli.json(0, "ledger", "verify");

    List<JsonNode> ledger = RootSnapshot.ledger(root);
    List<JsonNode> added = ledger.subList(countLines(ledgerBefore), ledger.size());
    List<String> addedEvents = added.stream().map(e -> e.get("event").asText()).toList();
    JsonNode last = added.get(added.size() - 1);
    assertThat(last.get("event").asText()).isEqualTo("RECOVERED");
    assertThat(last.get("details").get("tx").asText()).isEqualTo(tx);
    assertThat(last.get("details").get("action").asText())
        .isEqualTo(resumed ? "resume" : "rollback");
    for (JsonNode e : added) {
      if (e.get("details").has("tx")) {
        assertThat(e.get("details").get("tx").asText()).as("tx of %s", e).isEqualTo(tx);
      }
    }
    boolean started = !uninstall && !c.point().equals("after-journal");
    List<String> expectedEvents = new ArrayList<>();
    if (started) {
      expectedEvents.add("INSTALL_STARTED");
    }
    if (resumed) {
      expectedEvents.add(uninstall ? "UNINSTALLED" : "INSTALLED");
    } else if (!uninstall) {
      expectedEvents.add("INSTALL_FAILED");
    }
    expectedEvents.add("RECOVERED");
    assertThat(addedEvents)
        .as("ledger events of the crashed transaction")
        .isEqualTo(expectedEvents);

    if (resumed) {
      Path reference =
          switch (c.scenario()) {
            case FRESH -> v1Root;
            case UPGRADE -> v2Root;
            case UNINSTALL -> emptyRoot;
          };
      assertThat(RootSnapshot.payload(root)).isEqualTo(RootSnapshot.payload(reference));
      // an uninstall keeps the archive in the store so it can be installed again
      assertThat(RootSnapshot.of(root.resolve("packages_store")))
          .isEqualTo(RootSnapshot.of((uninstall ? v1Root : reference).resolve("packages_store")));
      assertThat(RootSnapshot.ownedFiles(root)).isEqualTo(RootSnapshot.ownedFiles(reference));
      JsonNode expectedList =
          switch (c.scenario()) {
            case FRESH -> v1List;
            case UPGRADE -> v2List;
            case UNINSTALL -> null;
          };
      JsonNode list = cli.json(0, "list").json();
      if (expectedList == null) {
        assertThat(list.get("packages")).isEmpty();
      } else {
        assertThat(withoutInstallTime(list)).isEqualTo(withoutInstallTime(expectedList));
      }
    } else {
      assertThat(RootSnapshot.of(root, "registries", "ledger", ".agentpkg"))
          .as("files after rollback")
          .isEqualTo(payloadBefore);
      assertThat(Files.readAllBytes(root.resolve("registries/packages_registry.csv")))
          .as("packages_registry.csv after rollback")
          .isEqualTo(registryBefore);
      assertThat(RootSnapshot.ownedFiles(root)).isEqualTo(filesBefore);
    }
    return null;
  }

  /**
   * A crash after extraction but before the journal: nothing in the root changed, so nothing is
   * pending and installs proceed; doctor reports and cleans the stray staging folder.
   */
  private static Void crashBeforeJournal(Scenario scenario, String flag) throws IOException {
    Path dir = base.resolve("case-" + scenario + "-after-staging");
    Path root = dir.resolve("root");
    RootSnapshot.copyTree(scenario == Scenario.FRESH ? emptyRoot : v1Root, root);
    Agentpkg cli = cli(dir, root);
    RootSnapshot.SortedView before = RootSnapshot.of(root, ".agentpkg");
    int ledgerLines = RootSnapshot.ledger(root).size();
    Path archive = scenario == Scenario.FRESH ? v1 : v2;

    Agentpkg crashing = cli(dir, root);
    crashing.env.put("AGENTPKG_TEST_CRASH_AT", "after-staging");
    crashing.run("install", "--archive", archive.toString(), "--token", admin).expect(86);
    assertThat(RootSnapshot.of(root, ".agentpkg")).as("root untouched").isEqualTo(before);
    List<String> stray = RootSnapshot.children(root.resolve(".agentpkg/staging"));
    assertThat(stray).hasSize(1);
    assertThat(RootSnapshot.children(root.resolve(".agentpkg/journal"))).isEmpty();

    JsonNode doctor = cli.json(0, "doctor").json();
    assertThat(doctor.get("pending")).isEmpty();
    assertThat(doctor.get("stray_staging")).hasSize(1);
    assertThat(doctor.get("stray_staging").get(0).asText()).isEqualTo(stray.get(0));

    cli.json(0, "install", "--archive", archive.toString(), "--token", admin);
    cli.json(0, "doctor", flag, "--token", admin);
    assertThat(RootSnapshot.children(root.resolve(".agentpkg/staging"))).as("staging").isEmpty();
    assertThat(RootSnapshot.children(root.resolve(".agentpkg/journal"))).as("journal").isEmpty();
    RootSnapshot.assertFilesMatchRegistry(root);
    Path reference = scenario == Scenario.FRESH ? v1Root : v2Root;
    assertThat(RootSnapshot.payload(root)).isEqualTo(RootSnapshot.payload(reference));
    assertThat(RootSnapshot.ownedFiles(root)).isEqualTo(RootSnapshot.ownedFiles(reference));
    cli.json(0, "ledger", "verify");
    List<String> events = RootSnapshot.events(root);
    assertThat(events.subList(ledgerLines, events.size()))
        .as("the crashed attempt left no ledger trace; the retry is a normal install")
        .containsExactly("INSTALL_STARTED", "INSTALLED");
    return null;
  }

  /**
   * Through the real launcher, with one class-data archive shared by all cases: the same black box,
   * and JVM start-up (most of this class's run time) drops by about a quarter.
   */
  private static Agentpkg cli(Path dir, Path root) {
    Agentpkg cli = new Agentpkg(dir);
    cli.viaLauncher = true;
    cli.env.put("AGENTPKG_CDS_DIR", base.resolve(".cds").toString());
    cli.env.put("AGENTPKG_ROOT", root.toString());
    return cli;
  }

  private static JsonNode withoutInstallTime(JsonNode list) {
    JsonNode copy = list.deepCopy();
    copy.get("packages").forEach(p -> ((ObjectNode) p).remove("installed_at"));
    return copy;
  }

  private static int countLines(byte[] ledger) {
    return (int)
        new String(ledger, StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty()).count();
  }

  private static boolean startsWith(byte[] all, byte[] prefix) {
    return all.length >= prefix.length && Arrays.equals(Arrays.copyOf(all, prefix.length), prefix);
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static void await(Future<?> f) throws Throwable {
    try {
      f.get(10, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }
}

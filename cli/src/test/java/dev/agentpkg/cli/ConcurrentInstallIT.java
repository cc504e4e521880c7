package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.RootLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many agentpkg processes on one root: the root lock makes them take turns, never interleave. */
class ConcurrentInstallIT {
  @TempDir Path dir;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static String id(int i) {
    return "PKG-T2-PAR" + i + "-001";
  }

  private Path packTestPackage(Fixture fx, String id) throws Exception {
    return RootSnapshot.pack(
        fx,
        RootSnapshot.source(
            dir.resolve("src-" + id),
            id,
            "T2",
            "1.0.0",
            Map.of(
                "modules/" + id + "/lib/data.txt", "data of " + id + "\n",
                "modules/" + id + "/bin/run.sh", "#!/bin/sh\necho " + id + "\n")),
        dir.resolve("archives"));
  }

  @Test
  void eightConcurrentInstallsAllSucceedOneAfterAnother() throws Exception {
    Fixture fx = new Fixture(dir);
    List<String> ids = IntStream.rangeClosed(1, 8).mapToObj(ConcurrentInstallIT::id).toList();
    ExecutorService packers = Executors.newFixedThreadPool(2);
    List<Future<Path>> packing = new ArrayList<>();
    for (String id : ids) {
      packing.add(packers.submit(() -> packTestPackage(fx, id)));
    }
    List<Path> archives = new ArrayList<>();
    for (Future<Path> f : packing) {
      archives.add(f.get(5, TimeUnit.MINUTES));
    }
    packers.shutdown();
    int ledgerBefore = RootSnapshot.ledger(fx.root).size();

    // start all eight at once, then wait for every one
    List<Future<Agentpkg.Result>> installs = new ArrayList<>();
    for (Path a : archives) {
      installs.add(
          pool.submit(
              () ->
                  fx.cli.run(
                      "install",
                      "--archive",
                      a.toString(),
                      "--token",
                      fx.adminToken,
                      "--lock-timeout",
                      "60s",
                      "--json")));
    }
    for (Future<Agentpkg.Result> f : installs) {
      Agentpkg.Result r = f.get(5, TimeUnit.MINUTES).expect(0);
      assertThat(r.json().get("action").asText()).isEqualTo("install");
    }

    JsonNode list = fx.cli.json(0, "list").json();
    assertThat(RootSnapshot.ids(list)).containsExactlyInAnyOrderElementsOf(ids);

    // the registry: a header and exactly eight whole rows, one per package, none torn or merged
    Path registry = fx.root.resolve("registries/packages_registry.csv");
    List<List<String>> rows = RootSnapshot.csv(registry);
    assertThat(Files.readAllLines(registry)).hasSize(9);
    assertThat(rows).hasSize(9);
    List<String> header = rows.get(0);
    assertThat(header).contains("package_id", "version", "status", "archive_sha256");
    Set<String> seen = new HashSet<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      assertThat(row).as("registry row %s", row).hasSameSizeAs(header);
      Map<String, String> byColumn = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        byColumn.put(header.get(i), row.get(i));
      }
      assertThat(byColumn.get("status")).isEqualTo("active");
      assertThat(byColumn.get("version")).isEqualTo("1.0.0");
      assertThat(seen.add(byColumn.get("package_id"))).isTrue();
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(RootSnapshot.assertFilesMatchRegistry(fx.root)).hasSize(16);

    JsonNode verify = fx.cli.json(0, "ledger", "verify").json();
    assertThat(verify.get("ok").asBoolean()).isTrue();
    List<JsonNode> added = RootSnapshot.ledger(fx.root);
    added = added.subList(ledgerBefore, added.size());
    assertThat(added).hasSize(16);
    assertThat(added.stream().filter(e -> e.get("event").asText().equals("INSTALL_STARTED")))
        .hasSize(8);
    assertThat(added.stream().filter(e -> e.get("event").asText().equals("INSTALLED"))).hasSize(8);
    // the lock held for each whole transaction: every start is followed by its own commit
    Set<String> installed = new HashSet<>();
    for (int i = 0; i < added.size(); i += 2) {
      JsonNode start = added.get(i);
      JsonNode done = added.get(i + 1);
      assertThat(start.get("event").asText()).isEqualTo("INSTALL_STARTED");
      assertThat(done.get("event").asText()).isEqualTo("INSTALLED");
      assertThat(done.get("package")).isEqualTo(start.get("package"));
      assertThat(done.get("details").get("tx")).isEqualTo(start.get("details").get("tx"));
      installed.add(done.get("package").get("id").asText());
    }
    assertThat(installed).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(RootSnapshot.children(fx.root.resolve(".agentpkg/journal"))).isEmpty();
    assertThat(RootSnapshot.children(fx.root.resolve(".agentpkg/staging"))).isEmpty();
  }

  @Test
  void aHeldLockMakesInstallFailNamingTheHolderThenSucceedOnceReleased() throws Exception {
    Fixture fx = new Fixture(dir);
    Path archive = packTestPackage(fx, id(1));
    Path archive2 = packTestPackage(fx, id(2));
    byte[] ledger = Files.readAllBytes(fx.root.resolve("ledger/governance.jsonl"));
    long pid = ProcessHandle.current().pid();

    try (RootLock lock =
        RootLock.acquire(
            new Root(fx.root), "test holder", Optional.empty(), Duration.ZERO, Clock.systemUTC())) {
      long start = System.nanoTime();
      Agentpkg.Result r =
          fx.cli
              .run(
                  "install",
                  "--archive",
                  archive.toString(),
                  "--token",
                  fx.adminToken,
                  "--lock-timeout",
                  "1s")
              .expect(5);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(1));
      assertThat(r.err()).contains("pid " + pid).contains("test holder").contains("1s");
      assertThat(Files.readAllBytes(fx.root.resolve("ledger/governance.jsonl"))).isEqualTo(ledger);
      assertThat(RootSnapshot.payload(fx.root).entries()).isEmpty();

      // a patient install waits for the holder instead of failing
      Future<Agentpkg.Result> waiting =
          pool.submit(
              () ->
                  fx.cli.run(
                      "install",
                      "--archive",
                      archive2.toString(),
                      "--token",
                      fx.adminToken,
                      "--lock-timeout",
                      "60s"));
      Thread.sleep(3000);
      assertThat(waiting.isDone()).as("install waits while the lock is held").isFalse();
      lock.close();
      waiting.get(2, TimeUnit.MINUTES).expect(0);
    }
    fx.cli.json(
        0,
        "install",
        "--archive",
        archive.toString(),
        "--token",
        fx.adminToken,
        "--lock-timeout",
        "1s");
    JsonNode list = fx.cli.json(0, "list").json();
    assertThat(RootSnapshot.ids(list)).containsExactly(id(1), id(2));
    RootSnapshot.assertFilesMatchRegistry(fx.root);
  }
}

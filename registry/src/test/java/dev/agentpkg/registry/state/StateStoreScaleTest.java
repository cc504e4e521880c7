package dev.agentpkg.registry.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.Root;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC 2.6: installing into a root with 1,000 packages must not cost much more than into an empty
 * one. Time is printed, not asserted (shared machines); the work is asserted instead: the number of
 * index shards read and written for a new 10-file package.
 */
class StateStoreScaleTest {
  private static final int PACKAGES = 1_000;
  private static final int FILES_PER_PACKAGE = 100;
  private static final int NEW_FILES = 10;
  private static final int ROUNDS = 3;

  @Test
  void installingIntoAFullRootTouchesOnlyTheNewPackagesShards(@TempDir Path tmp) throws Exception {
    Root full = StateFixtures.initRoot(tmp.resolve("full"));
    StateStore builder = new StateStore(full);
    boolean viaApply = Boolean.getBoolean("agentpkg.scale.viaApply");
    long t = System.nanoTime();
    if (viaApply) {
      // ~100 fsync'd shard writes per package: minutes on a plain disk, hence opt-in.
      for (int i = 0; i < PACKAGES; i++) {
        PackageRecord r = recordOf(i);
        builder.apply(PackageState.absent(r.id()), PackageState.installed(r, filesOf(i)));
      }
    } else {
      // The same bytes apply() would write (StateStoreTest checks the equivalence), in one pass.
      List<PackageRecord> records = new ArrayList<>();
      for (int i = 0; i < PACKAGES; i++) {
        PackageRecord r = recordOf(i);
        records.add(r);
        builder.ownership().writeFiles(r.id(), filesOf(i));
      }
      builder.registry().write(records);
      long lists = System.nanoTime() - t;
      builder.ownership().rebuildIndex();
      System.out.printf(
          Locale.ROOT,
          "state scale: file lists and registry written in %d ms, index rebuilt in %d ms%n",
          lists / 1_000_000,
          (System.nanoTime() - t - lists) / 1_000_000);
    }
    System.out.printf(
        Locale.ROOT,
        "state scale: built %d packages x %d files (%s) in %d ms%n",
        PACKAGES,
        FILES_PER_PACKAGE,
        viaApply ? "apply" : "bulk",
        (System.nanoTime() - t) / 1_000_000);
    assertThat(builder.ownership().allOwners()).hasSize(PACKAGES * FILES_PER_PACKAGE);
    assertThat(shardBytes(full)).hasSize(256);

    Root empty = StateFixtures.initRoot(tmp.resolve("empty"));
    Map<String, String> before = shardBytes(full);
    Install in = installNew(full);
    Map<String, String> after = shardBytes(full);
    // Best of a few rounds (install, then uninstall again) on both roots: the machine is shared.
    long fullNanos = in.nanos();
    long emptyNanos = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      emptyNanos = Math.min(emptyNanos, installNew(empty).nanos());
      uninstallNew(empty);
      uninstallNew(full);
      fullNanos = Math.min(fullNanos, installNew(full).nanos());
    }
    assertThat(shardBytes(full)).as("uninstall and reinstall restore the index").isEqualTo(after);
    System.out.printf(
        Locale.ROOT,
        "state scale: owners()+apply of a %d-file package: %.2f ms into %d packages,"
            + " %.2f ms into an empty root%n",
        NEW_FILES,
        fullNanos / 1e6,
        PACKAGES,
        emptyNanos / 1e6);

    Set<String> expectedShards =
        in.paths().stream()
            .map(FileOwnership::shardOf)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(in.ownersReads()).isEqualTo(expectedShards.size()).isLessThanOrEqualTo(NEW_FILES);
    assertThat(in.applyReads()).isEqualTo(expectedShards.size()).isLessThanOrEqualTo(NEW_FILES);
    assertThat(in.applyWrites()).isEqualTo(expectedShards.size()).isLessThanOrEqualTo(NEW_FILES);
    // Independent of the counters: exactly the new paths' shard files changed on disk.
    Set<String> changed = new TreeSet<>();
    for (String name : after.keySet()) {
      if (!after.get(name).equals(before.get(name))) {
        changed.add(name.substring(0, 2));
      }
    }
    assertThat(changed).isEqualTo(expectedShards);
    assertThat(new StateStore(full).ownership().owners(in.paths()).values())
        .hasSize(NEW_FILES)
        .containsOnly(PackageId.of("PKG-T2-NEWCOMER-001"));
  }

  private static PackageRecord recordOf(int i) {
    return StateFixtures.record(String.format(Locale.ROOT, "PKG-T2-P%04d-001", i), "1.0.0");
  }

  private static List<OwnedFile> filesOf(int i) {
    return StateFixtures.files("p" + i, FILES_PER_PACKAGE);
  }

  private record Install(
      long nanos, List<String> paths, long ownersReads, long applyReads, long applyWrites) {}

  /**
   * owners() then apply() for a new 10-file package, as the installer does them, on fresh objects.
   */
  private static Install installNew(Root root) {
    StateStore store = new StateStore(root);
    FileOwnership own = store.ownership();
    PackageRecord r = StateFixtures.record("PKG-T2-NEWCOMER-001", "1.0.0");
    List<OwnedFile> files = StateFixtures.files("newcomer", NEW_FILES);
    List<String> paths = files.stream().map(OwnedFile::path).collect(Collectors.toList());
    long t = System.nanoTime();
    Map<String, PackageId> owners = own.owners(paths);
    long ownersReads = own.shardReads();
    assertThat(own.shardWrites()).isZero();
    store.apply(PackageState.absent(r.id()), PackageState.installed(r, files));
    long nanos = System.nanoTime() - t;
    assertThat(owners).isEmpty();
    return new Install(
        nanos, paths, ownersReads, own.shardReads() - ownersReads, own.shardWrites());
  }

  private static void uninstallNew(Root root) {
    StateStore store = new StateStore(root);
    PackageId id = PackageId.of("PKG-T2-NEWCOMER-001");
    store.apply(store.read(id), PackageState.absent(id));
  }

  private static Map<String, String> shardBytes(Root root) throws Exception {
    Map<String, String> out = new HashMap<>();
    try (Stream<Path> s = Files.list(root.registries().resolve("owners"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        out.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}

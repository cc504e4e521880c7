package dev.agentpkg.registry.state;

import static dev.agentpkg.registry.state.StateFixtures.dep;
import static dev.agentpkg.registry.state.StateFixtures.file;
import static dev.agentpkg.registry.state.StateFixtures.files;
import static dev.agentpkg.registry.state.StateFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.Root;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StateStoreTest {
  private static final PackageId APP = PackageId.of("PKG-T2-APP-001");
  private static final PackageId BASE = PackageId.of("PKG-T1-BASE-001");

  private FileSystem fs;
  private Root root;
  private StateStore store;

  @BeforeEach
  void setUp() {
    fs = StateFixtures.jimfs();
    root = StateFixtures.initRoot(fs.getPath("/root"));
    store = new StateStore(root);
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  @Test
  void installRecordsRowListAndIndex() {
    PackageState v1 = installed(record("PKG-T2-APP-001", "1.0.0"), files("app", 3));
    store.apply(PackageState.absent(APP), v1);
    assertThat(store.read(APP)).isEqualTo(v1);
    assertThat(store.registry().list()).containsExactly(v1.record().orElseThrow());
    assertThat(store.ownership().allOwners())
        .hasSize(3)
        .allSatisfy((p, id) -> assertThat(id).isEqualTo(APP));
  }

  @Test
  void upgradeDropsOldFilesAddsNewOnesAndKeepsOtherPackages() {
    PackageState base = installed(record("PKG-T1-BASE-001", "1.0.0"), files("base", 2));
    store.apply(PackageState.absent(BASE), base);
    List<OwnedFile> v1Files = List.of(file("app/keep"), file("app/old1"), file("app/old2"));
    List<OwnedFile> v2Files =
        List.of(new OwnedFile("app/keep", StateFixtures.hex("new"), 9, "0755"), file("app/new"));
    PackageState v1 = installed(record("PKG-T2-APP-001", "1.0.0"), v1Files);
    PackageState v2 =
        installed(
            record("PKG-T2-APP-001", "2.0.0", dep("PKG-T1-BASE-001", ">=1.0.0 <2.0.0")), v2Files);
    store.apply(PackageState.absent(APP), v1);
    store.apply(v1, v2);

    assertThat(store.read(APP)).isEqualTo(v2);
    assertThat(store.read(BASE)).isEqualTo(base);
    Map<String, PackageId> expected = new HashMap<>();
    expected.put("app/keep", APP);
    expected.put("app/new", APP);
    expected.put("modules/base/f0.txt", BASE);
    expected.put("modules/base/f1.txt", BASE);
    assertThat(store.ownership().allOwners()).isEqualTo(expected);
  }

  @Test
  void uninstallRemovesRowListAndOnlyItsIndexEntries() {
    PackageState base = installed(record("PKG-T1-BASE-001", "1.0.0"), files("base", 2));
    PackageState app = installed(record("PKG-T2-APP-001", "1.0.0"), files("app", 4));
    store.apply(PackageState.absent(BASE), base);
    store.apply(PackageState.absent(APP), app);
    store.apply(app, PackageState.absent(APP));

    assertThat(store.read(APP)).isEqualTo(PackageState.absent(APP));
    assertThat(Files.exists(root.fileOwnershipFile(APP))).isFalse();
    assertThat(store.ownership().packagesWithLists()).containsExactly(BASE);
    assertThat(store.registry().list()).containsExactly(base.record().orElseThrow());
    assertThat(store.ownership().allOwners().values()).containsOnly(BASE).hasSize(2);
  }

  @Test
  void applyingTheSameTargetTwiceIsHarmless() {
    PackageState v1 = installed(record("PKG-T2-APP-001", "1.0.0"), files("app", 3));
    PackageState v2 = installed(record("PKG-T2-APP-001", "1.1.0"), files("app2", 2));
    for (int i = 0; i < 2; i++) {
      store.apply(PackageState.absent(APP), v1);
    }
    Snapshot afterInstall = snapshot();
    store.apply(PackageState.absent(APP), v1);
    assertThat(snapshot()).isEqualTo(afterInstall);

    store.apply(v1, v2);
    Snapshot afterUpgrade = snapshot();
    store.apply(v1, v2);
    assertThat(snapshot()).isEqualTo(afterUpgrade);
    assertThat(store.read(APP)).isEqualTo(v2);

    store.apply(v2, PackageState.absent(APP));
    Snapshot afterUninstall = snapshot();
    store.apply(v2, PackageState.absent(APP));
    assertThat(snapshot()).isEqualTo(afterUninstall);
    assertThat(afterUninstall.owners()).isEmpty();
  }

  @Test
  void rollingBackAPartialUpgradeRestoresThePreviousState() {
    PackageState v1 = installed(record("PKG-T2-APP-001", "1.0.0"), files("app", 3));
    PackageState v2 = installed(record("PKG-T2-APP-001", "2.0.0"), files("app2", 3));
    store.apply(PackageState.absent(APP), v1);
    Snapshot before = snapshot();
    // a crash after the list and the index were written, before the row
    store.ownership().writeFiles(APP, v2.files());
    store.ownership().updateIndex(APP, paths(v1), paths(v2));
    store.apply(v2, v1);
    assertThat(snapshot()).isEqualTo(before);
    assertThat(store.read(APP)).isEqualTo(v1);
  }

  @Test
  void aLargePackageGetsItsListIndexAndRowFromTwoThreads() {
    PackageState big = installed(record("PKG-T2-APP-001", "1.0.0"), files("app", 2_500));
    store.apply(PackageState.absent(APP), big);
    assertThat(store.read(APP).record()).isEqualTo(big.record());
    assertThat(store.read(APP).files()).containsExactlyInAnyOrderElementsOf(big.files());
    assertThat(new StateStore(root).ownership().allOwners()).hasSize(2_500);
  }

  @Test
  void anIndexConflictOfALargePackageLeavesNoRowWhileItsListIsWritten() {
    PackageState base = installed(record("PKG-T1-BASE-001", "1.0.0"), files("shared", 1));
    store.apply(PackageState.absent(BASE), base);
    List<OwnedFile> clashing = new ArrayList<>(files("app", 2_500));
    clashing.add(file("modules/shared/f0.txt"));
    PackageState app = installed(record("PKG-T2-APP-001", "1.0.0"), clashing);
    assertThatThrownBy(() -> store.apply(PackageState.absent(APP), app))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("the index says PKG-T1-BASE-001 owns it");
    assertThat(store.registry().find(APP)).isEmpty();
    // the list thread has finished by the time the refusal is thrown: its file is complete
    assertThat(store.ownership().files(APP)).hasSize(2_501);
  }

  @Test
  void refusesMismatchedStates() {
    PackageState app = installed(record("PKG-T2-APP-001", "1.0.0"), files("app", 1));
    assertThatThrownBy(() -> store.apply(PackageState.absent(BASE), app))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> store.apply(app, new PackageState(APP, Optional.empty(), files("app", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has files but no registry record");
    assertThatThrownBy(() -> new PackageState(BASE, app.record(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.registry().list()).isEmpty();
  }

  @Test
  void bulkBuildingWritesTheSameBytesAsApply() throws Exception {
    Root bulk = StateFixtures.initRoot(fs.getPath("/bulk"));
    StateStore bulkStore = new StateStore(bulk);
    List<PackageRecord> records = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      PackageRecord r = record("PKG-T2-P" + i + "-001", "1.0." + i);
      List<OwnedFile> files = files("p" + i, 1 + i % 7);
      store.apply(PackageState.absent(r.id()), installed(r, files));
      records.add(r);
      bulkStore.ownership().writeFiles(r.id(), files);
    }
    bulkStore.registry().write(records);
    bulkStore.ownership().rebuildIndex();
    assertThat(tree(bulk)).isEqualTo(tree(root)).containsKey("packages_registry.csv");
  }

  @Test
  void rebuildIndexRepairsADamagedIndexFromTheLists() throws Exception {
    store.apply(
        PackageState.absent(APP), installed(record("PKG-T2-APP-001", "1.0.0"), files("app", 30)));
    store.apply(
        PackageState.absent(BASE),
        installed(record("PKG-T1-BASE-001", "1.0.0"), files("base", 30)));
    Map<String, PackageId> good = new HashMap<>(store.ownership().allOwners());
    Map<String, String> goodTree = tree(root);
    Path owners = root.registries().resolve("owners");
    try (Stream<Path> s = Files.list(owners)) {
      Path first = s.sorted().findFirst().orElseThrow();
      Files.delete(first);
    }
    store.ownership().updateIndex(BASE, List.of(), List.of("stray/file"));
    assertThat(store.ownership().allOwners()).isNotEqualTo(good);
    store.ownership().rebuildIndex();
    assertThat(store.ownership().allOwners()).isEqualTo(good);
    assertThat(tree(root)).isEqualTo(goodTree);
  }

  @Test
  void rebuildIndexRefusesTwoListsClaimingOnePath() {
    store.ownership().writeFiles(APP, List.of(file("shared/x")));
    store.ownership().writeFiles(BASE, List.of(file("shared/x")));
    assertThatThrownBy(() -> store.ownership().rebuildIndex())
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("'shared/x' is listed by both PKG-T1-BASE-001 and PKG-T2-APP-001");
    assertThat(store.ownership().allOwners()).isEmpty();
  }

  /** Every file under registries/ except the token and key tables, by relative path. */
  private static Map<String, String> tree(Root r) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(r.registries())) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String rel = r.registries().relativize(p).toString();
        if (Files.isRegularFile(p) && !rel.equals("tokens.csv")) {
          out.put(rel, Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static PackageState installed(PackageRecord r, List<OwnedFile> files) {
    return PackageState.installed(r, files);
  }

  private static List<String> paths(PackageState s) {
    return s.files().stream().map(OwnedFile::path).collect(Collectors.toList());
  }

  private record Snapshot(
      List<PackageRecord> rows,
      List<PackageId> lists,
      Map<String, PackageId> owners,
      List<List<OwnedFile>> files) {}

  private Snapshot snapshot() {
    List<PackageId> lists = store.ownership().packagesWithLists();
    List<List<OwnedFile>> files = new ArrayList<>();
    for (PackageId id : lists) {
      files.add(store.ownership().files(id));
    }
    return new Snapshot(
        store.registry().list(), lists, new HashMap<>(store.ownership().allOwners()), files);
  }
}

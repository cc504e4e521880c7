package dev.agentpkg.registry.state;

import static dev.agentpkg.registry.state.StateFixtures.dep;
import static dev.agentpkg.registry.state.StateFixtures.file;
import static dev.agentpkg.registry.state.StateFixtures.files;
import static dev.agentpkg.registry.state.StateFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.Root;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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

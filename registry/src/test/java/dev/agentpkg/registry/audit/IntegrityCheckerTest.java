package dev.agentpkg.registry.audit;

import static dev.agentpkg.registry.audit.AuditFixture.EVIDENCE;
import static dev.agentpkg.registry.audit.AuditFixture.RUNTIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.state.FileOwnership;
import dev.agentpkg.registry.state.OwnedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntegrityCheckerTest {
  static final String EVIDENCE_JAR = "modules/" + EVIDENCE + "/lib/evidence.jar";
  static final String HIDDEN = "modules/" + EVIDENCE + "/.config/defaults";
  static final String RUNTIME_JAR = "modules/" + RUNTIME + "/lib/agent-runtime.jar";

  AuditFixture fx;

  @BeforeEach
  void installTwoPackages() {
    fx = new AuditFixture().withTwoPackages();
  }

  @Test
  void aFreshRootIsHealthyAndCountsEveryOwnedFileAndByte() throws IOException {
    IntegrityReport r = fx.check();
    assertThat(r.findings()).isEmpty();
    assertThat(r.healthy()).isTrue();
    assertThat(r.packages()).isEqualTo(2);
    List<OwnedFile> owned = new java.util.ArrayList<>();
    owned.addAll(new FileOwnership(fx.root).files(PackageId.of(EVIDENCE)));
    owned.addAll(new FileOwnership(fx.root).files(PackageId.of(RUNTIME)));
    assertThat(owned).hasSize(5);
    assertThat(r.files()).isEqualTo(5);
    long bytes = 0;
    for (OwnedFile f : owned) {
      bytes += Files.size(fx.path(f.path()));
    }
    assertThat(r.bytes()).isEqualTo(bytes);
    // the hidden owned file is walked too, and nothing in the reserved dirs is
    assertThat(r.scannedForOrphans()).isEqualTo(5);
  }

  @Test
  void progressCountsEveryFileAndByteItHashed() {
    HashProgress p = new HashProgress();
    IntegrityReport r = new IntegrityChecker(fx.ctx, fx.root, 3).check(Optional.empty(), p);
    assertThat(p.totalFiles()).isEqualTo(5).isEqualTo(r.files());
    assertThat(p.files()).isEqualTo(5);
    assertThat(p.totalBytes()).isEqualTo(r.bytes()).isPositive();
    assertThat(p.bytes()).isEqualTo(r.bytes());
  }

  @Test
  void modifiedNamesRecordedAndActualDigests() throws IOException {
    String recorded = Sha256.hexOfFile(fx.path(EVIDENCE_JAR));
    Files.writeString(fx.path(EVIDENCE_JAR), "evidence jar bytez", StandardCharsets.UTF_8);
    Finding f = only(fx.check(), Finding.MODIFIED);
    assertThat(f.path()).isEqualTo(EVIDENCE_JAR);
    assertThat(f.pkg()).isEqualTo(EVIDENCE);
    assertThat(f.expected()).isEqualTo(recorded);
    assertThat(f.actual())
        .isEqualTo(Sha256.hex("evidence jar bytez".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void missingFileIsMissingNotAnError() throws IOException {
    Files.delete(fx.path(RUNTIME_JAR));
    IntegrityReport r = fx.check();
    Finding f = only(r, Finding.MISSING);
    assertThat(f.path()).isEqualTo(RUNTIME_JAR);
    assertThat(f.pkg()).isEqualTo(RUNTIME);
    assertThat(f.actual()).isEqualTo("missing");
    assertThat(r.findings()).hasSize(1);
  }

  @Test
  void orphansInHiddenFoldersAreFoundButReservedDirsAreNot() throws IOException {
    AuditFixture.write(fx.path(".cache/deep/x"), "hidden\n");
    AuditFixture.write(fx.path("modules/" + EVIDENCE + "/.config/extra"), "beside an owned one\n");
    AuditFixture.write(fx.path(".agentpkg/staging/leftover"), "reserved\n");
    IntegrityReport r = fx.check();
    assertThat(r.findings()).extracting(Finding::kind).containsOnly(Finding.ORPHAN);
    assertThat(r.findings())
        .extracting(Finding::path)
        .containsExactlyInAnyOrder(".cache/deep/x", "modules/" + EVIDENCE + "/.config/extra");
    assertThat(r.findings()).allSatisfy(f -> assertThat(f.pkg()).isNull());
    assertThat(r.scannedForOrphans()).isEqualTo(7);
  }

  @Test
  void anOwnedFileTurnedIntoADirectoryIsModifiedAndWhatItHoldsIsOrphaned() throws IOException {
    Files.delete(fx.path(RUNTIME_JAR));
    AuditFixture.write(fx.path(RUNTIME_JAR + "/inside/payload.class"), "smuggled\n");
    IntegrityReport r = fx.check();
    assertThat(r.findings())
        .extracting(Finding::kind, Finding::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Finding.MODIFIED, RUNTIME_JAR),
            org.assertj.core.groups.Tuple.tuple(
                Finding.ORPHAN, RUNTIME_JAR + "/inside/payload.class"));
    assertThat(r.findings().get(0).actual()).isEqualTo("directory");
  }

  @Test
  void aDirectoryReplacedByAFileLeavesItsFilesMissingAndTheFileOrphaned() throws IOException {
    java.nio.file.Path lib = fx.path("modules/" + RUNTIME + "/lib");
    long owned;
    try (java.util.stream.Stream<java.nio.file.Path> s = Files.walk(lib)) {
      owned = s.filter(Files::isRegularFile).count();
    }
    AuditFixture.deleteTree(lib);
    AuditFixture.write(lib, "not a directory\n");
    IntegrityReport r = fx.check();
    assertThat(r.findings()).filteredOn(f -> f.kind().equals(Finding.MISSING)).hasSize((int) owned);
    assertThat(r.findings())
        .filteredOn(f -> f.kind().equals(Finding.ORPHAN))
        .extracting(Finding::path)
        .containsExactly("modules/" + RUNTIME + "/lib");
  }

  @Test
  void aFileListOfAPackageNotInstalledIsInconsistentWhileTheIndexIsIntact() {
    AuditFixture.write(fx.path("registries/files/PKG-T2-GHOST-001.csv"), "path,sha256,size,mode\n");
    IntegrityReport r = fx.check();
    assertThat(r.findings()).hasSize(1);
    Finding f = only(r, Finding.REGISTRY_INCONSISTENT);
    assertThat(f.pkg()).isEqualTo("PKG-T2-GHOST-001");
    assertThat(f.expected()).isEqualTo("no file list");
  }

  @Test
  void aDirectoryReplacedByALinkIsAnOrphanLinkAndIsNotFollowed() throws IOException {
    java.nio.file.Path lib = fx.path("modules/" + RUNTIME + "/lib");
    java.nio.file.Path moved = fx.path("elsewhere");
    Files.move(lib, moved);
    Files.createSymbolicLink(lib, moved);
    IntegrityReport r = fx.check();
    assertThat(r.findings())
        .filteredOn(f -> f.kind().equals(Finding.ORPHAN))
        .extracting(Finding::path, Finding::actual)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "modules/" + RUNTIME + "/lib", "unowned symbolic link"));
  }

  @Test
  void registryInconsistentWhenTheSpecIdCellIsEdited() {
    fx.editRegistryRow(RUNTIME, l -> l.replace(",SPEC-RUNTIME-001,", ",SPEC-OTHER-9,"));
    IntegrityReport r = fx.check();
    assertThat(r.findings()).hasSize(1);
    Finding f = only(r, Finding.REGISTRY_INCONSISTENT);
    assertThat(f.pkg()).isEqualTo(RUNTIME);
    assertThat(f.expected()).isEqualTo("spec_id=SPEC-RUNTIME-001");
    assertThat(f.actual()).isEqualTo("spec_id=SPEC-OTHER-9");
  }

  @Test
  void registryInconsistentWhenTheDependenciesCellIsEdited() {
    fx.editRegistryRow(RUNTIME, l -> l.replace(" >=0.1.0 <1.0.0", " >=0.0.1"));
    IntegrityReport r = fx.check();
    assertThat(r.findings()).hasSize(1);
    Finding f = only(r, Finding.REGISTRY_INCONSISTENT);
    assertThat(f.expected()).isEqualTo("dependencies=" + EVIDENCE + " >=0.1.0 <1.0.0");
    assertThat(f.actual()).isEqualTo("dependencies=" + EVIDENCE + " >=0.0.1");
  }

  @Test
  void registryInconsistentForNameFrameworkAndStatusCells() {
    fx.editRegistryRow(
        EVIDENCE,
        l ->
            l.replace("name of " + EVIDENCE, "renamed")
                .replace(",FMWK-100,", ",FMWK-200,")
                .replace(",active,", ",disabled,"));
    IntegrityReport r = fx.check();
    assertThat(r.findings()).extracting(Finding::kind).containsOnly(Finding.REGISTRY_INCONSISTENT);
    assertThat(r.findings())
        .extracting(Finding::expected, Finding::actual)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("name=name of " + EVIDENCE, "name=renamed"),
            org.assertj.core.groups.Tuple.tuple("framework_id=FMWK-100", "framework_id=FMWK-200"),
            org.assertj.core.groups.Tuple.tuple("status=active", "status=disabled"));
    assertThat(r.findings()).allSatisfy(f -> assertThat(f.pkg()).isEqualTo(EVIDENCE));
  }

  @Test
  void registryInconsistentWhenTheOwnershipIndexLosesAPath() throws IOException {
    boolean edited = false;
    try (var shards = Files.list(fx.path("registries/owners"))) {
      for (var shard : shards.toList()) {
        List<String> lines = AuditFixture.readLines(shard);
        if (lines.stream().anyMatch(l -> l.contains(EVIDENCE_JAR))) {
          AuditFixture.write(
              shard,
              String.join("\n", lines.stream().filter(l -> !l.contains(EVIDENCE_JAR)).toList())
                  + "\n");
          edited = true;
        }
      }
    }
    assertThat(edited).isTrue();
    Finding f = only(fx.check(), Finding.REGISTRY_INCONSISTENT);
    assertThat(f.path()).isEqualTo(EVIDENCE_JAR);
    assertThat(f.expected()).isEqualTo(EVIDENCE);
    assertThat(f.actual()).isEqualTo("unindexed");
  }

  @Test
  void ledgerDisagreesWhenTheArchiveDigestIsRewrittenWithTheStore() throws IOException {
    // a forged archive put in the store and the row pointed at it: only the ledger still knows
    String name = RUNTIME + "-0.1.0.tar.gz";
    var store = fx.path("packages_store/" + name);
    String installed = Sha256.hexOfFile(store);
    byte[] b = Files.readAllBytes(store);
    Files.write(store, java.util.Arrays.copyOf(b, b.length + 1));
    String forged = Sha256.hexOfFile(store);
    fx.editRegistryRow(RUNTIME, l -> l.replace(installed, forged));
    IntegrityReport r = fx.check();
    Finding f = only(r, Finding.LEDGER_DISAGREES);
    assertThat(f.pkg()).isEqualTo(RUNTIME);
    assertThat(f.expected()).isEqualTo(installed);
    assertThat(f.actual()).isEqualTo(forged);
  }

  @Test
  void ledgerDisagreesWhenARowIsDroppedFromTheRegistry() {
    // runtime depends on evidence, so drop runtime: the ledger still says it is installed
    fx.editRegistryRow(RUNTIME, l -> null);
    IntegrityReport r = fx.check();
    Finding f =
        r.findings().stream()
            .filter(x -> x.kind().equals(Finding.LEDGER_DISAGREES))
            .findFirst()
            .orElseThrow();
    assertThat(f.pkg()).isEqualTo(RUNTIME);
    assertThat(f.expected()).isEqualTo("installed 0.1.0");
    assertThat(f.actual()).isEqualTo("not installed");
  }

  @Test
  void packageScopeSkipsOrphansAndUnknownPackagesAreNotFound() throws IOException {
    AuditFixture.write(fx.path("stray.txt"), "x");
    Files.writeString(fx.path(RUNTIME_JAR), "changed", StandardCharsets.UTF_8);
    IntegrityReport evidence =
        new IntegrityChecker(fx.ctx, fx.root, 1).check(Optional.of(PackageId.of(EVIDENCE)));
    assertThat(evidence.healthy()).isTrue();
    assertThat(evidence.files()).isEqualTo(3);
    assertThat(evidence.scannedForOrphans()).isZero();
    assertThatThrownBy(
            () ->
                new IntegrityChecker(fx.ctx, fx.root, 1)
                    .check(Optional.of(PackageId.of("PKG-T2-NOPE-001"))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("PKG-T2-NOPE-001");
  }

  private static Finding only(IntegrityReport r, String kind) {
    List<Finding> matches = r.findings().stream().filter(f -> f.kind().equals(kind)).toList();
    assertThat(matches).as("%s findings in %s", kind, r.findings()).hasSize(1);
    return matches.get(0);
  }
}

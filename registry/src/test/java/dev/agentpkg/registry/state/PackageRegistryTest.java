package dev.agentpkg.registry.state;

import static dev.agentpkg.registry.state.StateFixtures.dep;
import static dev.agentpkg.registry.state.StateFixtures.hex;
import static dev.agentpkg.registry.state.StateFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.registry.RegistryColumns;
import dev.agentpkg.registry.Root;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PackageRegistryTest {
  private FileSystem fs;
  private Root root;
  private PackageRegistry registry;

  @BeforeEach
  void setUp() {
    fs = StateFixtures.jimfs();
    root = StateFixtures.initRoot(fs.getPath("/root"));
    registry = new PackageRegistry(root);
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  @Test
  void freshRootHasNoPackages() {
    assertThat(registry.list()).isEmpty();
    assertThat(registry.find(PackageId.of("PKG-T1-RUNTIME-001"))).isEmpty();
  }

  @Test
  void roundTripsEveryColumnIncludingRangesAndEmptyFrameworkId() throws Exception {
    PackageRecord withDeps =
        new PackageRecord(
            PackageId.of("PKG-T1-RUNTIME-001"),
            "runtime, with \"quotes\" and ünïcødé",
            SemVer.parse("1.2.3-rc.1+build.7"),
            Tier.T1,
            "SPEC-RUNTIME-2",
            "FMWK-AGENTS-1",
            "active",
            hex("a"),
            hex("m"),
            StateFixtures.KEY,
            List.of(
                dep("PKG-T0-EVIDENCE-001", ">=0.1.0 <1.0.0"),
                dep("PKG-G0-GENESIS-001", "1.0.0"),
                dep("PKG-T1-BASE-002", ">1.0.0-alpha.1 <=2.0.0")),
            Instant.parse("2025-03-01T12:34:56.789Z"),
            "tok-1");
    PackageRecord plain = record("PKG-G0-GENESIS-001", "1.0.0");
    assertThat(plain.frameworkId()).isEmpty();
    registry.write(List.of(withDeps, plain));

    assertThat(registry.list()).containsExactly(plain, withDeps);
    String text = Files.readString(root.packagesRegistry(), StandardCharsets.UTF_8);
    assertThat(text).startsWith(String.join(",", RegistryColumns.PACKAGES) + "\n");
    assertThat(text)
        .contains("PKG-T0-EVIDENCE-001 >=0.1.0 <1.0.0;PKG-G0-GENESIS-001 1.0.0;PKG-T1-BASE-002");
    assertThat(registry.find(withDeps.id())).contains(withDeps);
  }

  @Test
  void nullFrameworkIdBecomesEmpty() {
    PackageRecord r = record("PKG-T2-APP-001", "0.1.0");
    PackageRecord n =
        new PackageRecord(
            r.id(),
            r.name(),
            r.version(),
            r.tier(),
            r.specId(),
            null,
            r.status(),
            r.archiveSha256(),
            r.manifestSha256(),
            r.signerKeyId(),
            r.dependencies(),
            r.installedAt(),
            r.installedBy());
    assertThat(n).isEqualTo(r);
  }

  @Test
  void constructorRefusesInconsistentValues() {
    PackageRecord r = record("PKG-T2-APP-001", "0.1.0");
    assertThatThrownBy(
            () ->
                new PackageRecord(
                    r.id(),
                    r.name(),
                    r.version(),
                    Tier.T1,
                    r.specId(),
                    "",
                    "active",
                    r.archiveSha256(),
                    r.manifestSha256(),
                    r.signerKeyId(),
                    List.of(),
                    r.installedAt(),
                    "tok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tier T1 does not match");
    assertThatThrownBy(
            () ->
                new PackageRecord(
                    r.id(),
                    r.name(),
                    r.version(),
                    r.tier(),
                    r.specId(),
                    "",
                    "active",
                    "ABC",
                    r.manifestSha256(),
                    r.signerKeyId(),
                    List.of(),
                    r.installedAt(),
                    "tok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("archive sha256 'ABC'");
    assertThatThrownBy(
            () ->
                new PackageRecord(
                    r.id(),
                    r.name(),
                    r.version(),
                    r.tier(),
                    r.specId(),
                    "",
                    " ",
                    r.archiveSha256(),
                    r.manifestSha256(),
                    r.signerKeyId(),
                    List.of(),
                    r.installedAt(),
                    "tok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status is empty");
    assertThatThrownBy(
            () ->
                new PackageRecord(
                    r.id(),
                    r.name(),
                    r.version(),
                    r.tier(),
                    "spec",
                    "",
                    "active",
                    r.archiveSha256(),
                    r.manifestSha256(),
                    r.signerKeyId(),
                    List.of(),
                    r.installedAt(),
                    "tok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec id 'spec'");
  }

  @Test
  void writeSortsByIdAndRefusesDuplicates() throws Exception {
    PackageRecord b = record("PKG-T1-B-001", "1.0.0");
    PackageRecord a = record("PKG-T1-A-001", "1.0.0");
    registry.write(List.of(b, a));
    List<String> lines = Files.readAllLines(root.packagesRegistry(), StandardCharsets.UTF_8);
    assertThat(lines.get(1)).startsWith("PKG-T1-A-001,");
    assertThat(lines.get(2)).startsWith("PKG-T1-B-001,");

    byte[] before = Files.readAllBytes(root.packagesRegistry());
    assertThatThrownBy(() -> registry.write(List.of(a, b, record("PKG-T1-A-001", "2.0.0"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKG-T1-A-001 is listed twice");
    assertThat(Files.readAllBytes(root.packagesRegistry())).isEqualTo(before);
  }

  @Test
  void upsertAddsOrReplacesAndRemoveDeletes() {
    registry.upsert(record("PKG-T2-ZED-001", "1.0.0"));
    registry.upsert(record("PKG-T0-BASE-001", "1.0.0"));
    registry.upsert(record("PKG-T1-MID-001", "1.0.0"));
    assertThat(registry.list())
        .extracting(r -> r.id().value())
        .containsExactly("PKG-T0-BASE-001", "PKG-T1-MID-001", "PKG-T2-ZED-001");

    registry.upsert(record("PKG-T1-MID-001", "1.1.0"));
    assertThat(registry.list()).hasSize(3);
    assertThat(registry.find(PackageId.of("PKG-T1-MID-001")).orElseThrow().version())
        .isEqualTo(SemVer.parse("1.1.0"));

    registry.remove(PackageId.of("PKG-T0-BASE-001"));
    registry.remove(PackageId.of("PKG-T0-BASE-001")); // absent: a no-op
    assertThat(registry.list())
        .extracting(r -> r.id().value())
        .containsExactly("PKG-T1-MID-001", "PKG-T2-ZED-001");
  }

  @Test
  void badVersionNamesFileAndLine() throws Exception {
    assertRowRefused(2, "version", "1.0", "version: invalid version '1.0'");
  }

  @Test
  void badDigestNamesFileAndLine() throws Exception {
    assertRowRefused(2, "archive_sha256", "XYZ", "archive sha256 'XYZ'");
  }

  @Test
  void tierMismatchNamesFileAndLine() throws Exception {
    assertRowRefused(2, "tier", "T3", "tier T3 does not match the id's tier T1");
  }

  @Test
  void unknownTierNamesFileAndLine() throws Exception {
    assertRowRefused(2, "tier", "t1", "tier 't1'");
  }

  @Test
  void badDependencyTextNamesFileAndLine() throws Exception {
    assertRowRefused(2, "dependencies", "PKG-T0-A-001", "dependency 'PKG-T0-A-001' is not");
    assertRowRefused(2, "dependencies", "PKG-T0-A-001 >=1.0.0;", "dependency ''");
    assertRowRefused(2, "dependencies", "pkg-t0 >=1.0.0", "'pkg-t0' is not a package id");
    assertRowRefused(2, "dependencies", "PKG-T0-A-001 >=x", "dependency 'PKG-T0-A-001 >=x'");
  }

  @Test
  void badInstantAndIdNameFileAndLine() throws Exception {
    assertRowRefused(2, "installed_at", "yesterday", "installed_at 'yesterday'");
    assertRowRefused(2, "package_id", "PKG-X", "package_id 'PKG-X'");
  }

  @Test
  void duplicateRowNamesBothLines() throws Exception {
    registry.write(List.of(record("PKG-T1-RUNTIME-001", "1.0.0")));
    List<String> lines = Files.readAllLines(root.packagesRegistry(), StandardCharsets.UTF_8);
    Files.write(
        root.packagesRegistry(),
        List.of(lines.get(0), lines.get(1), lines.get(1)),
        StandardCharsets.UTF_8);
    assertThatThrownBy(registry::list)
        .isInstanceOf(VerificationException.class)
        .hasMessage(
            root.packagesRegistry()
                + ":3: package PKG-T1-RUNTIME-001 is listed twice (first at line 2)");
  }

  @Test
  void lineNumbersCountMultiLineCells() throws Exception {
    registry.write(
        List.of(
            new PackageRecord(
                PackageId.of("PKG-T1-A-001"),
                "two\nlines",
                SemVer.parse("1.0.0"),
                Tier.T1,
                "SPEC-X",
                "",
                "active",
                hex("a"),
                hex("m"),
                StateFixtures.KEY,
                List.of(),
                StateFixtures.T0,
                "tok"),
            record("PKG-T1-B-001", "1.0.0")));
    String text = Files.readString(root.packagesRegistry(), StandardCharsets.UTF_8);
    Files.writeString(
        root.packagesRegistry(),
        text.replace("PKG-T1-B-001,", "PKG-T1-B-01,"),
        StandardCharsets.UTF_8);
    assertThatThrownBy(registry::list).hasMessageStartingWith(root.packagesRegistry() + ":4: ");
  }

  /** Writes one good row, replaces one cell of it, and expects "<file>:<line>: ...". */
  private void assertRowRefused(int line, String column, String value, String expected)
      throws Exception {
    registry.write(List.of(record("PKG-T1-RUNTIME-001", "1.0.0")));
    List<String> lines = Files.readAllLines(root.packagesRegistry(), StandardCharsets.UTF_8);
    int col = RegistryColumns.PACKAGES.indexOf(column);
    String[] cells = lines.get(1).split(",", -1);
    assertThat(cells).hasSize(RegistryColumns.PACKAGES.size());
    cells[col] = value;
    Files.write(
        root.packagesRegistry(),
        List.of(lines.get(0), String.join(",", cells)),
        StandardCharsets.UTF_8);
    byte[] bad = Files.readAllBytes(root.packagesRegistry());
    assertThatThrownBy(registry::list)
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith(root.packagesRegistry() + ":" + line + ": ")
        .hasMessageContaining(expected);
    // a malformed registry is never overwritten by an update
    assertThatThrownBy(() -> registry.upsert(record("PKG-T2-OTHER-001", "1.0.0")))
        .isInstanceOf(VerificationException.class);
    assertThat(Files.readAllBytes(root.packagesRegistry())).isEqualTo(bad);
  }

  @Test
  void aRegistryChangedByAnotherInstanceIsReadAgain() {
    registry.upsert(record("PKG-T1-MID-001", "1.0.0"));
    assertThat(registry.list()).extracting(r -> r.version().toString()).containsExactly("1.0.0");
    new PackageRegistry(root).upsert(record("PKG-T1-MID-001", "1.1.0"));
    assertThat(registry.list()).extracting(r -> r.version().toString()).containsExactly("1.1.0");
    registry.list().clear(); // the caller's copy, not the parse
    assertThat(registry.list()).hasSize(1);
  }
}

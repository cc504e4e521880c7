package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentpkg.integrity.digest.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `integrity check` against real roots: one pristine root with both example packages installed is
 * built once, and each test damages its own copy in exactly one way and expects exactly that
 * finding (kind, path or package, expected, actual) and exit 3.
 */
class IntegrityCheckIT {
  static final String EVIDENCE = "PKG-T0-EVIDENCE-001";
  static final String RUNTIME = "PKG-T1-RUNTIME-001";
  static final String SMALL = "PKG-T2-SMALL-001";
  static final String EVIDENCE_JAR = "modules/PKG-T0-EVIDENCE-001/lib/evidence.jar";
  static final String RUNTIME_JAR = "modules/PKG-T1-RUNTIME-001/lib/agent-runtime.jar";

  @TempDir static Path shared;
  static Fixture pristine;

  @TempDir Path dir;
  Path root;
  Agentpkg cli;

  @BeforeAll
  static void buildPristineRoot() throws IOException {
    pristine = new Fixture(shared);
    pristine.packExample("evidence", EVIDENCE);
    pristine.packExample("runtime", RUNTIME);
    // packed but not installed: the crash test installs it, nobody else sees more than the archive
    Path small = Fixture.source(shared.resolve("small-src"), SMALL, "T2", "0.1.0");
    pristine.cli.json(
        0,
        "pack",
        "--src",
        small.toString(),
        "--key",
        pristine.key.toString(),
        "--token",
        pristine.adminToken);
    pristine.cli.json(0, "install", EVIDENCE, "--token", pristine.adminToken);
    pristine.cli.json(0, "install", RUNTIME, "--token", pristine.adminToken);
  }

  @BeforeEach
  void copyPristineRoot() throws IOException {
    root = dir.resolve("root");
    copyTree(pristine.root, root);
    cli = new Agentpkg(dir);
    cli.env.put("AGENTPKG_ROOT", root.toString());
  }

  // ---------------------------------------------------------------- healthy and scope

  @Test
  void anUndamagedRootIsHealthyAndCountsEveryOwnedFile() throws IOException {
    long listed = 0;
    long bytes = 0;
    try (Stream<Path> lists = Files.list(root.resolve("registries/files"))) {
      for (Path list : lists.toList()) {
        List<String> rows = Files.readAllLines(list, StandardCharsets.UTF_8);
        assertThat(rows.get(0)).isEqualTo("path,sha256,size,mode");
        for (String row : rows.subList(1, rows.size())) {
          listed++;
          String[] cells = row.split(",");
          bytes += Long.parseLong(cells[2]);
        }
      }
    }
    assertThat(listed).isEqualTo(2);
    Agentpkg.Result r = check(0);
    JsonNode doc = r.json();
    assertThat(doc.get("schema").asText()).isEqualTo("agentpkg/integrity/v1");
    assertThat(doc.get("healthy").asBoolean()).isTrue();
    JsonNode summary = doc.get("summary");
    assertThat(summary.get("packages").asLong()).isEqualTo(2);
    assertThat(summary.get("files").asLong()).isEqualTo(listed);
    assertThat(summary.get("bytes").asLong())
        .isEqualTo(bytes)
        .isEqualTo(Files.size(root.resolve(EVIDENCE_JAR)) + Files.size(root.resolve(RUNTIME_JAR)));
    assertThat(summary.get("scanned_for_orphans").asLong()).isEqualTo(listed);
    assertThat(summary.get("findings").asLong()).isZero();
    assertThat(doc.get("findings")).isEmpty();

    Agentpkg.Result human = cli.run("integrity", "check").expect(0);
    assertThat(lastLine(human.out())).startsWith("2 packages, 2 files, 0 findings");
  }

  @Test
  void packageScopeReportsOnlyThatPackageAndSkipsTheOrphanScan() throws IOException {
    flipByte(root.resolve(EVIDENCE_JAR));
    Files.writeString(root.resolve("stray.txt"), "nobody owns me\n");

    JsonNode runtimeOnly = check(0, "--package", RUNTIME).json();
    assertThat(runtimeOnly.get("healthy").asBoolean()).isTrue();
    assertThat(runtimeOnly.get("summary").get("packages").asLong()).isEqualTo(1);
    assertThat(runtimeOnly.get("summary").get("files").asLong()).isEqualTo(1);
    assertThat(runtimeOnly.get("summary").get("scanned_for_orphans").asLong()).isZero();

    JsonNode evidenceOnly = check(3, "--package", EVIDENCE).json();
    assertThat(kinds(evidenceOnly)).containsExactly("MODIFIED");
    assertThat(evidenceOnly.get("summary").get("scanned_for_orphans").asLong()).isZero();

    // the whole-root check sees both
    assertThat(kinds(check(3).json())).containsExactlyInAnyOrder("MODIFIED", "ORPHAN");
  }

  @Test
  void anUnknownPackageOrANonRootIsNotFound() throws IOException {
    Agentpkg.Result unknown = cli.json(4, "integrity", "check", "--package", "PKG-T2-NOPE-001");
    assertThat(unknown.json().get("schema").asText()).isEqualTo("agentpkg/error/v1");
    assertThat(unknown.err()).contains("PKG-T2-NOPE-001");

    Path notARoot = Files.createDirectories(dir.resolve("plain"));
    Agentpkg.Result r = cli.json(4, "integrity", "check", "--root", notARoot.toString());
    JsonNode error = r.json();
    assertThat(error.get("schema").asText()).isEqualTo("agentpkg/error/v1");
    assertThat(error.get("error").get("exit_code").asInt()).isEqualTo(4);
    assertThat(error.get("error").get("message").asText()).contains(notARoot.toString());
  }

  @Test
  void humanOutputGroupsFindingsByPackageAndEndsWithTheTotals() throws IOException {
    flipByte(root.resolve(EVIDENCE_JAR));
    Files.writeString(root.resolve("stray.txt"), "nobody owns me\n");
    Agentpkg.Result r = cli.run("integrity", "check").expect(3);
    List<String> lines = r.out().lines().toList();
    int pkg = lines.indexOf(EVIDENCE);
    assertThat(pkg).as(r.out()).isNotNegative();
    assertThat(lines.get(pkg + 1)).startsWith("  MODIFIED").contains(EVIDENCE_JAR);
    int rootGroup = lines.indexOf("(root)");
    assertThat(rootGroup).as(r.out()).isNotNegative();
    assertThat(lines.get(rootGroup + 1)).startsWith("  ORPHAN").contains("stray.txt");
    assertThat(lastLine(r.out())).isEqualTo("2 packages, 2 files, 2 findings");
  }

  // ---------------------------------------------------------------- one test per finding kind

  @Test
  void modified() throws IOException {
    String recorded = recordedSha(EVIDENCE, EVIDENCE_JAR);
    flipByte(root.resolve(EVIDENCE_JAR));
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("MODIFIED");
    JsonNode f = only(doc, "MODIFIED");
    assertThat(f.get("path").asText()).isEqualTo(EVIDENCE_JAR);
    assertThat(f.get("package").asText()).isEqualTo(EVIDENCE);
    assertThat(f.get("expected").asText()).isEqualTo(recorded);
    assertThat(f.get("actual").asText()).isEqualTo(Sha256.hexOfFile(root.resolve(EVIDENCE_JAR)));
    assertThat(doc.get("healthy").asBoolean()).isFalse();
    assertThat(doc.get("summary").get("findings").asLong()).isEqualTo(1);
  }

  @Test
  void missing() throws IOException {
    String recorded = recordedSha(RUNTIME, RUNTIME_JAR);
    Files.delete(root.resolve(RUNTIME_JAR));
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("MISSING");
    JsonNode f = only(doc, "MISSING");
    assertThat(f.get("path").asText()).isEqualTo(RUNTIME_JAR);
    assertThat(f.get("package").asText()).isEqualTo(RUNTIME);
    assertThat(f.get("expected").asText()).isEqualTo(recorded);
    assertThat(f.get("actual").asText()).isEqualTo("missing");
  }

  @Test
  void aDirectoryReplacedByAFileLeavesItsFilesMissingAndTheFileOrphaned() throws IOException {
    Path lib = root.resolve(RUNTIME_JAR).getParent();
    try (Stream<Path> files = Files.list(lib)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(lib);
    Files.writeString(lib, "a file where lib/ was\n");
    // the kernel answers ENOTDIR, not ENOENT, for a path through a file: still findings, exit 3
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsOnly("MISSING", "ORPHAN");
    assertThat(only(doc, "ORPHAN").get("path").asText()).isEqualTo("modules/" + RUNTIME + "/lib");
    List<String> missing = new ArrayList<>();
    doc.get("findings")
        .forEach(
            f -> {
              if (f.get("kind").asText().equals("MISSING")) {
                missing.add(f.get("path").asText());
              }
            });
    assertThat(missing)
        .contains(RUNTIME_JAR)
        .allMatch(p -> p.startsWith("modules/" + RUNTIME + "/lib/"));
  }

  @Test
  void modeChanged() throws IOException {
    Files.setPosixFilePermissions(
        root.resolve(EVIDENCE_JAR), PosixFilePermissions.fromString("rw-------"));
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("MODE_CHANGED");
    JsonNode f = only(doc, "MODE_CHANGED");
    assertThat(f.get("path").asText()).isEqualTo(EVIDENCE_JAR);
    assertThat(f.get("package").asText()).isEqualTo(EVIDENCE);
    assertThat(f.get("expected").asText()).isEqualTo("0644");
    assertThat(f.get("actual").asText()).isEqualTo("0600");
  }

  @Test
  void orphanInAHiddenFolderAndAtTopLevel() throws IOException {
    Files.createDirectories(root.resolve(".cache"));
    Files.writeString(root.resolve(".cache/x"), "hidden\n");
    Files.writeString(root.resolve("stray.txt"), "top\n");
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("ORPHAN", "ORPHAN");
    List<String> paths = new ArrayList<>();
    for (JsonNode f : doc.get("findings")) {
      paths.add(f.get("path").asText());
      assertThat(f.get("package").isNull()).as(f.toString()).isTrue();
      assertThat(f.get("expected").asText()).isEqualTo("owned by a package");
      assertThat(f.get("actual").asText()).isEqualTo("unowned file");
    }
    assertThat(paths).containsExactlyInAnyOrder(".cache/x", "stray.txt");
    assertThat(doc.get("summary").get("scanned_for_orphans").asLong()).isEqualTo(4);
  }

  @Test
  void registryInconsistentWhenTheOwnershipIndexLosesAPath() throws IOException {
    Path shard = shardHolding(EVIDENCE_JAR);
    List<String> lines = new ArrayList<>(Files.readAllLines(shard, StandardCharsets.UTF_8));
    assertThat(lines.removeIf(l -> l.contains(EVIDENCE_JAR))).isTrue();
    Files.write(shard, lines, StandardCharsets.UTF_8);
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("REGISTRY_INCONSISTENT");
    JsonNode f = only(doc, "REGISTRY_INCONSISTENT");
    assertThat(f.get("path").asText()).isEqualTo(EVIDENCE_JAR);
    assertThat(f.get("package").asText()).isEqualTo(EVIDENCE);
    assertThat(f.get("expected").asText()).isEqualTo(EVIDENCE);
    assertThat(f.get("actual").asText()).isEqualTo("unindexed");
  }

  @Test
  void registryInconsistentWhenAFileListBelongsToNoInstalledPackage() throws IOException {
    String ghost = "PKG-T2-GHOST-001";
    Files.writeString(
        root.resolve("registries/files/" + ghost + ".csv"),
        "path,sha256,size,mode\n",
        StandardCharsets.UTF_8);
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("REGISTRY_INCONSISTENT");
    JsonNode f = only(doc, "REGISTRY_INCONSISTENT");
    assertThat(f.get("package").asText()).isEqualTo(ghost);
    assertThat(f.get("expected").asText()).isEqualTo("no file list");
    assertThat(f.get("actual").asText()).isEqualTo("registries/files/" + ghost + ".csv");
  }

  @Test
  void unsatisfiedDependencyWhenTheDependencyLeavesTheRegistry() throws IOException {
    rewriteRegistry(rows -> rows.removeIf(l -> l.startsWith(EVIDENCE + ",")));
    JsonNode doc = check(3).json();
    JsonNode f = only(doc, "UNSATISFIED_DEPENDENCY");
    assertThat(f.get("package").asText()).isEqualTo(RUNTIME);
    assertThat(f.get("expected").asText()).isEqualTo(EVIDENCE);
    assertThat(f.get("actual").asText()).isEqualTo("MISSING");
    assertThat(f.get("message").asText()).contains(">=0.1.0 <1.0.0");
    // the same damage seen from the other sides
    assertThat(kinds(doc)).contains("LEDGER_DISAGREES", "ORPHAN", "REGISTRY_INCONSISTENT");
  }

  @Test
  void tierViolationWhenAT0DependsOnAT1() throws IOException {
    rewriteRegistry(
        rows ->
            rows.replaceAll(
                l ->
                    l.startsWith(EVIDENCE + ",")
                        ? l.replace(",," + "20", "," + RUNTIME + " >=0.1.0,20")
                        : l));
    assertThat(Files.readString(root.resolve("registries/packages_registry.csv")))
        .contains("," + RUNTIME + " >=0.1.0,");
    JsonNode doc = check(3).json();
    JsonNode f = only(doc, "TIER_VIOLATION");
    assertThat(f.get("package").asText()).isEqualTo(EVIDENCE);
    assertThat(f.get("expected").asText()).isEqualTo(RUNTIME);
    assertThat(f.get("message").asText()).contains("T0").contains("T1");
    // runtime already depends on evidence, so the new edge also closes a cycle; and the cell no
    // longer says what evidence's own manifest does
    assertThat(kinds(doc))
        .containsExactlyInAnyOrder(
            "TIER_VIOLATION", "UNSATISFIED_DEPENDENCY", "REGISTRY_INCONSISTENT");
    JsonNode cell = only(doc, "REGISTRY_INCONSISTENT");
    assertThat(cell.get("package").asText()).isEqualTo(EVIDENCE);
    assertThat(cell.get("expected").asText()).isEqualTo("dependencies=");
    assertThat(cell.get("actual").asText()).isEqualTo("dependencies=" + RUNTIME + " >=0.1.0");
  }

  @Test
  void registryInconsistentWhenARowsSpecIdNoLongerMatchesTheInstalledManifest() throws IOException {
    rewriteRegistry(
        rows ->
            rows.replaceAll(
                l ->
                    l.startsWith(RUNTIME + ",")
                        ? l.replace(",SPEC-RUNTIME-001,", ",SPEC-RUNTIME-002,")
                        : l));
    JsonNode doc = check(3).json();
    // the archive, the manifest digest and every file are untouched: only the cell changed
    assertThat(kinds(doc)).containsExactly("REGISTRY_INCONSISTENT");
    JsonNode f = only(doc, "REGISTRY_INCONSISTENT");
    assertThat(f.get("package").asText()).isEqualTo(RUNTIME);
    assertThat(f.get("path").isNull()).isTrue();
    assertThat(f.get("expected").asText()).isEqualTo("spec_id=SPEC-RUNTIME-001");
    assertThat(f.get("actual").asText()).isEqualTo("spec_id=SPEC-RUNTIME-002");
    assertThat(f.get("message").asText()).contains("spec_id");
  }

  @Test
  void registryInconsistentWhenARowsDependencyRangeIsLoosened() throws IOException {
    rewriteRegistry(
        rows ->
            rows.replaceAll(
                l ->
                    l.startsWith(RUNTIME + ",")
                        ? l.replace(EVIDENCE + " >=0.1.0 <1.0.0", EVIDENCE + " >=0.1.0")
                        : l));
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("REGISTRY_INCONSISTENT");
    JsonNode f = only(doc, "REGISTRY_INCONSISTENT");
    assertThat(f.get("package").asText()).isEqualTo(RUNTIME);
    assertThat(f.get("expected").asText())
        .isEqualTo("dependencies=" + EVIDENCE + " >=0.1.0 <1.0.0");
    assertThat(f.get("actual").asText()).isEqualTo("dependencies=" + EVIDENCE + " >=0.1.0");
  }

  @Test
  void registryInconsistentWhenARowsStatusIsNotActive() throws IOException {
    rewriteRegistry(
        rows ->
            rows.replaceAll(
                l -> l.startsWith(EVIDENCE + ",") ? l.replace(",active,", ",removed,") : l));
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("REGISTRY_INCONSISTENT");
    JsonNode f = only(doc, "REGISTRY_INCONSISTENT");
    assertThat(f.get("package").asText()).isEqualTo(EVIDENCE);
    assertThat(f.get("expected").asText()).isEqualTo("status=active");
    assertThat(f.get("actual").asText()).isEqualTo("status=removed");
  }

  @Test
  void progressGoesToStderrOnlyAndStdoutStaysOneJsonDocument() throws IOException {
    Agentpkg.Result r = cli.run("integrity", "check", "--json", "--progress").expect(0);
    assertThat(r.json().get("healthy").asBoolean()).isTrue();
    assertThat(r.out()).doesNotContain("hashed");
    // without a terminal (as here) and without --progress nothing is drawn
    Agentpkg.Result plain = cli.run("integrity", "check").expect(0);
    assertThat(plain.err()).doesNotContain("hashed");
  }

  @Test
  void untrustedSignerOnceTheKeyIsRevoked() throws IOException {
    cli.json(0, "keys", "revoke", pristine.keyId, "--token", pristine.adminToken);
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("UNTRUSTED_SIGNER", "UNTRUSTED_SIGNER");
    List<String> packages = new ArrayList<>();
    for (JsonNode f : doc.get("findings")) {
      packages.add(f.get("package").asText());
      assertThat(f.get("expected").asText()).isEqualTo(pristine.keyId);
      assertThat(f.get("actual").asText()).contains("revoked");
    }
    assertThat(packages).containsExactlyInAnyOrder(EVIDENCE, RUNTIME);
  }

  @Test
  void storeMismatchForAnAlteredArchive() throws IOException {
    String name = RUNTIME + "-0.1.0.tar.gz";
    Path archive = root.resolve("packages_store").resolve(name);
    String recorded = Sha256.hexOfFile(archive);
    flipByte(archive);
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("STORE_MISMATCH");
    JsonNode f = only(doc, "STORE_MISMATCH");
    assertThat(f.get("package").asText()).isEqualTo(RUNTIME);
    assertThat(f.get("path").asText()).isEqualTo("packages_store/" + name);
    assertThat(f.get("expected").asText()).isEqualTo(recorded);
    assertThat(f.get("actual").asText()).isEqualTo(Sha256.hexOfFile(archive));
  }

  @Test
  void storeMismatchForADeletedArchive() throws IOException {
    String name = EVIDENCE + "-0.1.0.tar.gz";
    Path archive = root.resolve("packages_store").resolve(name);
    String recorded = Sha256.hexOfFile(archive);
    Files.delete(archive);
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("STORE_MISMATCH");
    JsonNode f = only(doc, "STORE_MISMATCH");
    assertThat(f.get("package").asText()).isEqualTo(EVIDENCE);
    assertThat(f.get("path").asText()).isEqualTo("packages_store/" + name);
    assertThat(f.get("expected").asText()).isEqualTo(recorded);
    assertThat(f.get("actual").asText()).isEqualTo("missing");
  }

  @Test
  void ledgerBrokenByOneEditedByteInAMiddleLine() throws IOException {
    Path ledger = root.resolve("ledger/governance.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(ledger, StandardCharsets.UTF_8));
    int mid = lines.size() / 2;
    String line = lines.get(mid);
    // the last digit of the entry's seconds: still a valid entry, no longer the hashed one
    int at = line.indexOf("\"ts\":\"") + 6 + 18;
    char digit = line.charAt(at);
    assertThat(digit).isBetween('0', '9');
    lines.set(mid, line.substring(0, at) + (digit == '0' ? '1' : '0') + line.substring(at + 1));
    Files.write(ledger, lines, StandardCharsets.UTF_8);
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("LEDGER_BROKEN");
    JsonNode f = only(doc, "LEDGER_BROKEN");
    assertThat(f.get("path").asText()).isEqualTo("ledger/governance.jsonl");
    assertThat(f.get("expected").asText()).isEqualTo("seq " + lines.size());
    assertThat(f.get("actual").asText()).startsWith("seq " + (mid + 1) + " ");
  }

  @Test
  void ledgerTruncatedByDeletingTheLastTwoLines() throws IOException {
    Path ledger = root.resolve("ledger/governance.jsonl");
    List<String> lines = Files.readAllLines(ledger, StandardCharsets.UTF_8);
    int n = lines.size();
    Files.write(ledger, lines.subList(0, n - 2), StandardCharsets.UTF_8);
    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("LEDGER_TRUNCATED");
    JsonNode f = only(doc, "LEDGER_TRUNCATED");
    assertThat(f.get("path").asText()).isEqualTo("ledger/governance.jsonl");
    assertThat(f.get("expected").asText()).isEqualTo("seq " + n);
    // what is actually there: the ledger now ends two entries early
    assertThat(f.get("actual").asText()).isEqualTo("seq " + (n - 2));
  }

  @Test
  void ledgerDisagreesWhenAFileAndItsRecordAreRewrittenTogether() throws IOException {
    Path jar = root.resolve(EVIDENCE_JAR);
    String recorded = recordedSha(EVIDENCE, EVIDENCE_JAR);
    flipByte(jar);
    String tampered = Sha256.hexOfFile(jar);
    Path list = root.resolve("registries/files/" + EVIDENCE + ".csv");
    String csv = Files.readString(list, StandardCharsets.UTF_8);
    assertThat(csv).contains(recorded);
    Files.writeString(list, csv.replace(recorded, tampered), StandardCharsets.UTF_8);

    String ledgerDigest = installedFilesSha(EVIDENCE);
    long size = Files.size(jar);
    String rewrittenDigest =
        Sha256.hex(
            (EVIDENCE_JAR + "\t" + tampered + "\t" + size + "\t0644\n")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(ledgerDigest)
        .isEqualTo(
            Sha256.hex(
                (EVIDENCE_JAR + "\t" + recorded + "\t" + size + "\t0644\n")
                    .getBytes(StandardCharsets.UTF_8)));

    JsonNode doc = check(3).json();
    // the file matches its (rewritten) record, so only the ledger can tell
    assertThat(kinds(doc)).containsExactly("LEDGER_DISAGREES");
    JsonNode f = only(doc, "LEDGER_DISAGREES");
    assertThat(f.get("package").asText()).isEqualTo(EVIDENCE);
    assertThat(f.get("expected").asText()).isEqualTo(ledgerDigest);
    assertThat(f.get("actual").asText()).isEqualTo(rewrittenDigest);
  }

  @Test
  void ledgerDisagreesWhenARegistryRowsManifestDigestIsRewritten() throws IOException {
    String registry =
        Files.readString(root.resolve("registries/packages_registry.csv"), StandardCharsets.UTF_8);
    String row =
        registry.lines().filter(l -> l.startsWith(RUNTIME + ",")).findFirst().orElseThrow();
    // columns: ...,status,archive_sha256,manifest_sha256,signer_keyid,...
    String manifestSha = row.split(",")[8].replace("\"", "");
    assertThat(manifestSha).matches("[0-9a-f]{64}");
    String forged = "0".repeat(64);
    rewriteRegistry(rows -> rows.replaceAll(l -> l.replace(manifestSha, forged)));

    JsonNode doc = check(3).json();
    assertThat(kinds(doc)).containsExactly("LEDGER_DISAGREES");
    JsonNode f = only(doc, "LEDGER_DISAGREES");
    assertThat(f.get("package").asText()).isEqualTo(RUNTIME);
    assertThat(f.get("expected").asText()).isEqualTo(manifestSha);
    assertThat(f.get("actual").asText()).isEqualTo(forged);
  }

  @Test
  void pendingTransactionAfterACrashUntilDoctorRollsItBack() throws IOException {
    Agentpkg crashing = new Agentpkg(dir);
    crashing.env.putAll(cli.env);
    crashing.env.put("AGENTPKG_TEST_CRASH_AT", "after-journal");
    crashing.run("install", SMALL, "--token", pristine.adminToken).expect(86);
    List<Path> journals;
    try (Stream<Path> s = Files.list(root.resolve(".agentpkg/journal"))) {
      journals = s.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(journals).hasSize(1);
    assertThat(Files.readString(journals.get(0))).contains("\"schema\":\"agentpkg/journal/v1\"");

    JsonNode doc = check(3).json();
    JsonNode f = only(doc, "PENDING_TRANSACTION");
    assertThat(f.get("package").isNull()).isTrue();
    assertThat(f.get("expected").asText()).isEqualTo("none");
    assertThat(f.get("actual").asText()).isEqualTo(journals.get(0).getFileName().toString());
    assertThat(f.get("message").asText()).contains("agentpkg doctor");

    cli.json(0, "doctor", "--rollback", "--token", pristine.adminToken);
    assertThat(check(0).json().get("healthy").asBoolean()).isTrue();
  }

  // ---------------------------------------------------------------- helpers

  private Agentpkg.Result check(int code, String... extra) {
    List<String> args = new ArrayList<>(List.of("integrity", "check", "--json"));
    args.addAll(List.of(extra));
    Agentpkg.Result r = cli.run(args.toArray(String[]::new)).expect(code);
    JsonNode doc = r.json();
    if (code == 0 || code == 3) {
      assertThat(doc.get("healthy").asBoolean()).isEqualTo(code == 0);
      assertThat(doc.get("summary").get("findings").asInt()).isEqualTo(doc.get("findings").size());
    }
    return r;
  }

  private static List<String> kinds(JsonNode doc) {
    List<String> out = new ArrayList<>();
    doc.get("findings").forEach(f -> out.add(f.get("kind").asText()));
    return out;
  }

  private static JsonNode only(JsonNode doc, String kind) {
    List<JsonNode> matches = new ArrayList<>();
    doc.get("findings")
        .forEach(
            f -> {
              if (f.get("kind").asText().equals(kind)) {
                matches.add(f);
              }
            });
    assertThat(matches).as("%s findings in %s", kind, doc).hasSize(1);
    return matches.get(0);
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().toList();
    assertThat(lines).isNotEmpty();
    return lines.get(lines.size() - 1);
  }

  private static void flipByte(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x01;
    Files.write(file, b);
  }

  private String recordedSha(String id, String path) throws IOException {
    for (String row :
        Files.readAllLines(
            root.resolve("registries/files/" + id + ".csv"), StandardCharsets.UTF_8)) {
      if (row.startsWith("\"" + path + "\",") || row.startsWith(path + ",")) {
        return row.split(",")[1].replace("\"", "");
      }
    }
    throw new AssertionError(path + " not in " + id + "'s file list");
  }

  private String installedFilesSha(String id) throws IOException {
    String found = null;
    for (String line :
        Files.readAllLines(root.resolve("ledger/governance.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode e = Agentpkg.JSON.readTree(line);
      if (e.get("event").asText().equals("INSTALLED")
          && e.get("package").get("id").asText().equals(id)) {
        found = e.get("details").get("files_sha256").asText();
      }
    }
    assertThat(found).as("INSTALLED event of %s", id).isNotNull();
    return found;
  }

  private Path shardHolding(String path) throws IOException {
    try (Stream<Path> shards = Files.list(root.resolve("registries/owners"))) {
      for (Path shard : shards.toList()) {
        if (Files.readString(shard, StandardCharsets.UTF_8).contains(path)) {
          return shard;
        }
      }
    }
    throw new AssertionError("no ownership shard holds " + path);
  }

  private void rewriteRegistry(java.util.function.Consumer<List<String>> edit) throws IOException {
    Path registry = root.resolve("registries/packages_registry.csv");
    List<String> rows = new ArrayList<>(Files.readAllLines(registry, StandardCharsets.UTF_8));
    List<String> before = List.copyOf(rows);
    edit.accept(rows);
    assertThat(rows).as("the edit changed the registry").isNotEqualTo(before);
    Files.write(registry, rows, StandardCharsets.UTF_8);
  }

  /** Copies a root as-is: contents, modes and hidden files, no symlink followed. */
  static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                d,
                to.resolve(from.relativize(d).toString()),
                StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            Files.copy(
                f,
                to.resolve(from.relativize(f).toString()),
                StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}

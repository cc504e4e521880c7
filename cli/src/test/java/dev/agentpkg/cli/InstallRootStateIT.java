package dev.agentpkg.cli;

import static dev.agentpkg.cli.InstallArchiveBuilder.lib;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.crypto.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Install refusals that depend on the root's state (links already in the root, files owned by other
 * packages or by nobody, dependencies, token roles) and the positive controls that keep the refusal
 * suites from passing vacuously: a good archive from the same builder installs, and a dry run
 * changes nothing at all. One root for the class; every package id is used by one test only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallRootStateIT {
  @TempDir static Path dir;
  InstallWorld world;
  Ed25519PrivateKey trusted;
  int n;

  @BeforeAll
  void setUp() throws Exception {
    InstallWorld.assumeInstallExists(dir);
    world = new InstallWorld(dir);
    trusted = KeyFiles.readPrivate(world.fx.key);
  }

  private Path write(InstallArchiveBuilder b) throws IOException {
    return b.writeTo(dir.resolve("archives/" + n++), trusted);
  }

  private InstallWorld.Timed install(Path archive, String token, String... extra) {
    String[] args = new String[5 + extra.length];
    args[0] = "install";
    args[1] = "--archive";
    args[2] = archive.toString();
    args[3] = "--token";
    args[4] = token;
    System.arraycopy(extra, 0, args, 5, extra.length);
    return world.run(args);
  }

  private void installs(InstallArchiveBuilder b) throws IOException {
    InstallWorld.Timed r = install(write(b), world.fx.adminToken);
    r.result().expect(0).json();
  }

  private void refused(
      InstallArchiveBuilder b, String token, Set<Integer> exits, List<String> stderr, String actor)
      throws IOException {
    Path archive = write(b);
    InstallWorld.Before before = world.before();
    world.assertRefused(before, install(archive, token), exits, stderr, actor);
  }

  private void refusedForAdmin(InstallArchiveBuilder b, Set<Integer> exits, List<String> stderr)
      throws IOException {
    refused(b, world.fx.adminToken, exits, stderr, world.adminId());
  }

  // --- positive controls

  @Test
  void aGoodArchiveFromTheSameBuilderInstalls() throws Exception {
    String id = "PKG-T2-GOOD-001";
    InstallArchiveBuilder b =
        InstallArchiveBuilder.standard(id, "1.0.0")
            .file(
                lib(id) + "run.sh",
                "#!/bin/sh\necho ok\n".getBytes(StandardCharsets.UTF_8),
                "0755");
    Path archive = write(b);
    InstallWorld.Before before = world.before();
    JsonNode doc = install(archive, world.fx.adminToken).result().expect(0).json();
    assertThat(doc.path("schema").asText()).startsWith("agentpkg/");

    for (InstallArchiveBuilder.Payload p : b.payloads()) {
      Path f = world.root.resolve(p.path());
      assertThat(f).isRegularFile().hasBinaryContent(p.content());
    }
    assertThat(Files.getPosixFilePermissions(world.root.resolve(lib(id) + "run.sh")))
        .contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.getPosixFilePermissions(world.root.resolve(lib(id) + "a.txt")))
        .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    List<String> registry =
        Files.readAllLines(world.root.resolve("registries/packages_registry.csv"));
    assertThat(registry).anySatisfy(l -> assertThat(l).startsWith(id + ",").contains("active"));
    Path fileList = world.root.resolve("registries/files/" + id + ".csv");
    assertThat(fileList).isRegularFile();
    String listed = Files.readString(fileList);
    for (InstallArchiveBuilder.Payload p : b.payloads()) {
      assertThat(listed).contains(p.path());
    }
    assertThat(world.root.resolve("packages_store/" + b.archiveName()))
        .hasSameBinaryContentAs(archive);
    List<String> events = world.newEvents(before);
    assertThat(events).containsSubsequence("INSTALL_STARTED", "INSTALLED").endsWith("INSTALLED");
    assertThat(world.lastEvent().path("actor").path("token_id").asText())
        .isEqualTo(world.adminId());
    assertThat(world.lastEvent().path("package").path("id").asText()).isEqualTo(id);
    world.assertStagingEmpty("");
    world.fx.cli.json(0, "ledger", "verify");
  }

  @Test
  void aDryRunChangesNothingAtAllAndPrintsAPlan() throws Exception {
    Path archive = write(InstallArchiveBuilder.standard("PKG-T2-DRY-001", "1.0.0"));
    InstallWorld.Before before = world.before();
    InstallWorld.Timed r = install(archive, world.fx.adminToken, "--dry-run");
    JsonNode plan = r.result().expect(0).json();
    assertThat(plan.path("schema").asText()).startsWith("agentpkg/");
    world.assertUntouched(before, "\nstdout: " + r.result().out());
    assertThat(world.root.resolve(lib("PKG-T2-DRY-001"))).doesNotExist();
    world.fx.cli.json(0, "ledger", "verify");
  }

  // --- links already in the root

  @Test
  void aSymlinkedDirectoryOnThePathOfAPackagedFileIsNotWrittenThrough() throws Exception {
    String id = "PKG-T2-LINK-001";
    Path link = world.root.resolve("modules/" + id + "/lib");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, world.outside.resolve("target"));
    try {
      refusedForAdmin(
          InstallArchiveBuilder.standard(id, "1.0.0"),
          Set.of(3, 5),
          List.of("modules/" + id + "/lib"));
      assertThat(world.outside.resolve("target")).isEmptyDirectory();
      assertThat(Files.isSymbolicLink(link)).isTrue();
    } finally {
      deleteTree(world.root.resolve("modules/" + id));
    }
  }

  @Test
  void aSymlinkedTopLevelDirectoryIsNotWrittenThrough() throws Exception {
    String id = "PKG-T2-TOPLINK-001";
    Path link = world.root.resolve("agents");
    Files.createSymbolicLink(link, world.outside.resolve("target"));
    try {
      refusedForAdmin(
          InstallArchiveBuilder.pkg(id, "1.0.0").file("agents/" + id + "/x.txt", "x\n"),
          Set.of(3, 5),
          List.of("agents"));
      assertThat(world.outside.resolve("target")).isEmptyDirectory();
    } finally {
      Files.delete(link);
    }
  }

  @Test
  void symlinksWhereThePackagedFilesGoAreNotWrittenThrough() throws Exception {
    String id = "PKG-T2-LEAF-001";
    Path libDir = world.root.resolve(lib(id));
    Files.createDirectories(libDir);
    Files.createSymbolicLink(libDir.resolve("a.txt"), world.outside.resolve("victim.txt"));
    Files.createSymbolicLink(libDir.resolve("b.txt"), world.outside.resolve("ghost.txt"));
    try {
      refusedForAdmin(InstallArchiveBuilder.standard(id, "1.0.0"), Set.of(3, 5), List.of(lib(id)));
      assertThat(world.outside.resolve("victim.txt")).hasContent("precious");
      assertThat(world.outside.resolve("ghost.txt")).doesNotExist();
    } finally {
      deleteTree(world.root.resolve("modules/" + id));
    }
  }

  // --- files owned by another package or by nobody

  @Test
  void aFileOwnedByAnotherPackageIsRefused() throws Exception {
    String shared = "modules/shared-owned/conf.txt";
    installs(InstallArchiveBuilder.standard("PKG-T2-OWNER-001", "1.0.0").file(shared, "mine\n"));
    refusedForAdmin(
        InstallArchiveBuilder.standard("PKG-T2-THIEF-001", "1.0.0").file(shared, "stolen\n"),
        Set.of(5),
        List.of(shared, "PKG-T2-OWNER-001"));
    assertThat(world.root.resolve(shared)).hasContent("mine");
  }

  @Test
  void aFileOwnedByOneOfItsOwnDependenciesIsRefused() throws Exception {
    String shared = "modules/base-owned/x.txt";
    installs(InstallArchiveBuilder.standard("PKG-T2-BASE-001", "1.0.0").file(shared, "base\n"));
    refusedForAdmin(
        InstallArchiveBuilder.standard("PKG-T2-CHILD-001", "1.0.0")
            .dependsOn("PKG-T2-BASE-001", ">=1.0.0")
            .file(shared, "child\n"),
        Set.of(5),
        List.of(shared, "PKG-T2-BASE-001"));
    assertThat(world.root.resolve(shared)).hasContent("base");
    // the same package without the stolen file is fine: the refusal was about ownership
    installs(
        InstallArchiveBuilder.standard("PKG-T2-CHILD-001", "1.0.0")
            .dependsOn("PKG-T2-BASE-001", ">=1.0.0"));
  }

  @Test
  void anUnownedFileAlreadyPresentIsNotOverwritten() throws Exception {
    String id = "PKG-T2-UNOWNED-001";
    Path present = world.root.resolve(lib(id) + "a.txt");
    Files.createDirectories(present.getParent());
    Files.writeString(present, "hand-made\n");
    try {
      refusedForAdmin(
          InstallArchiveBuilder.standard(id, "1.0.0"), Set.of(5), List.of(lib(id) + "a.txt"));
      assertThat(present).hasContent("hand-made");
    } finally {
      deleteTree(world.root.resolve("modules/" + id));
    }
  }

  // --- dependencies

  @Test
  void missingAndUnsatisfiedDependenciesAreRefused() throws Exception {
    refusedForAdmin(
        InstallArchiveBuilder.standard("PKG-T2-NEEDY-001", "1.0.0")
            .dependsOn("PKG-T2-ABSENT-001", ">=1.0.0"),
        Set.of(5),
        List.of("PKG-T2-ABSENT-001"));

    installs(InstallArchiveBuilder.standard("PKG-T2-DEPBASE-001", "1.0.0"));
    refusedForAdmin(
        InstallArchiveBuilder.standard("PKG-T2-PICKY-001", "1.0.0")
            .dependsOn("PKG-T2-DEPBASE-001", ">=2.0.0"),
        Set.of(5),
        List.of("PKG-T2-DEPBASE-001"));
    // satisfied: installs, so the refusals above were about the dependency alone
    installs(
        InstallArchiveBuilder.standard("PKG-T2-PICKY-001", "1.0.0")
            .dependsOn("PKG-T2-DEPBASE-001", ">=1.0.0 <2.0.0"));
  }

  // --- tokens and roles

  @Test
  void tokensOfTheWrongRoleAreDeniedAndRecorded() throws Exception {
    String operator = world.fx.createToken("operator");
    String maintainer = world.fx.createToken("maintainer");
    InstallArchiveBuilder t1 = InstallArchiveBuilder.standard("PKG-T1-ROLE-001", "1.0.0");
    InstallArchiveBuilder t0 = InstallArchiveBuilder.standard("PKG-T0-ROLE-001", "1.0.0");
    refused(t1, operator, Set.of(6), List.of("operator", "role"), InstallWorld.tokenId(operator));
    refused(
        InstallArchiveBuilder.standard("PKG-T2-ROLE-001", "1.0.0"),
        operator,
        Set.of(6),
        List.of("operator", "role"),
        InstallWorld.tokenId(operator));
    refused(
        t0,
        maintainer,
        Set.of(6),
        List.of("maintainer", "role", "admin"),
        InstallWorld.tokenId(maintainer));
    // the right roles install the very same packages
    install(write(t1), maintainer).result().expect(0);
    install(write(t0), world.fx.adminToken).result().expect(0);
  }

  @Test
  void missingOrGarbageTokensAreDeniedWithoutALedgerLine() throws Exception {
    Path archive = write(InstallArchiveBuilder.standard("PKG-T2-NOTOKEN-001", "1.0.0"));
    InstallWorld.Before before = world.before();
    world.assertRefused(
        before,
        world.run("install", "--archive", archive.toString()),
        Set.of(6),
        List.of("token"),
        null);
    before = world.before();
    world.assertRefused(
        before,
        install(archive, "agp_zzzzzzzzzzzz_" + "A".repeat(43)),
        Set.of(6),
        List.of("token"),
        null);
  }

  // --- the ID[@VERSION] form reads the store and must be just as strict

  @Test
  void aHostileArchiveInTheStoreIsRefusedWhenInstalledById() throws Exception {
    String id = "PKG-T2-STORED-001";
    InstallArchiveBuilder.standard(id, "1.0.0")
        .body(
            t -> {
              t.manifest();
              t.payload();
              t.file("../../x", "x");
              t.end();
            })
        .writeTo(world.root.resolve("packages_store"), trusted);
    InstallWorld.Before before = world.before();
    world.assertRefused(
        before,
        world.run("install", id + "@1.0.0", "--token", world.fx.adminToken),
        Set.of(3),
        List.of("'..' path component"),
        world.adminId());
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}

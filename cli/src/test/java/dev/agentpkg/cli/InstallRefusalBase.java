package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.crypto.KeyFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared machinery of the parameterized refusal suites: one root for the whole class (a correct
 * refusal leaves it as it was, and each case compares its own before and after), each hostile
 * archive written next to it, installed with the admin token, and every invariant of {@link
 * InstallWorld#assertRefused} checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class InstallRefusalBase {
  @TempDir static Path dir;
  InstallWorld world;
  Ed25519PrivateKey trusted;
  int n;

  @BeforeAll
  void setUpWorld() throws Exception {
    InstallWorld.assumeInstallExists(dir);
    world = new InstallWorld(dir);
    trusted = KeyFiles.readPrivate(world.fx.key);
  }

  @AfterAll
  void ledgerStillVerifies() {
    if (world == null) {
      return; // skipped: no install command yet
    }
    // the chain after every refusal of the class, checked by the command users run
    world.fx.cli.json(0, "ledger", "verify");
  }

  /**
   * Positive control, after every refusal: the same builder's untampered archive installs into the
   * very root the refusals were tried on, so no case passed because the base archive or the root
   * was broken.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void theUntamperedArchiveInstallsAfterAllRefusals() throws Exception {
    InstallArchiveBuilder good = InstallCases.evil();
    Path archive = good.writeTo(world.dir.resolve("archives/control"), trusted);
    world
        .run("install", "--archive", archive.toString(), "--token", world.fx.adminToken)
        .result()
        .expect(0);
    for (InstallArchiveBuilder.Payload p : good.payloads()) {
      assertThat(world.root.resolve(p.path())).hasBinaryContent(p.content());
    }
  }

  void refuse(InstallCases.Case c) throws Exception {
    Path archive = c.archive().get().writeTo(world.dir.resolve("archives/" + n++), trusted);
    InstallWorld.Before before = world.before();
    InstallWorld.Timed run =
        world.run("install", "--archive", archive.toString(), "--token", world.fx.adminToken);
    world.assertRefused(before, run, c.exits(), c.stderr(), world.adminId());
  }
}

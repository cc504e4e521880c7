package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.crypto.Ed25519PublicKey;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.verify.ArchiveVerifier;
import dev.agentpkg.integrity.verify.VerifiedArchive;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The install suites' archive builder, checked in-process against the archive verifier that {@code
 * agentpkg verify} uses: its good archive verifies, and every hostile case is refused by the
 * archive checks alone with the exit code and message the install suites expect. This runs today,
 * before {@code install} exists, so the suites' expectations are known to be reachable.
 */
class InstallArchiveBuilderTest {
  static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate(new SecureRandom());

  @TempDir Path dir;

  static VerifiedArchive verify(Path archive) {
    return new ArchiveVerifier(ArchiveLimits.defaults())
        .verify(archive, InstallArchiveBuilderTest::known);
  }

  private static Optional<Ed25519PublicKey> known(String keyId) {
    return keyId.equals(KEY.publicKey().keyId()) ? Optional.of(KEY.publicKey()) : Optional.empty();
  }

  @Test
  void theStandardArchiveVerifiesAndMatchesItsSidecars() throws Exception {
    InstallArchiveBuilder b = InstallCases.evil();
    Path archive = b.writeTo(dir, KEY);
    VerifiedArchive v = verify(archive);
    assertThat(v.manifest().id().value()).isEqualTo(InstallCases.ID);
    assertThat(v.manifest().files()).hasSize(2);
    String sha = Sha256.hex(Files.readAllBytes(archive));
    assertThat(Files.readString(Path.of(archive + ".sha256")))
        .isEqualTo(sha + "  " + archive.getFileName() + "\n");
    assertThat(v.statement().archiveSha256()).isEqualTo(sha);
    assertThat(v.statement().manifestSha256()).isEqualTo(Sha256.hex(b.manifestBytes()));
  }

  @Test
  void aPackageWithDependenciesAndAnExecutableVerifies() throws Exception {
    Path archive =
        InstallArchiveBuilder.standard("PKG-T1-CHILD-001", "2.0.0")
            .dependsOn("PKG-T0-BASE-001", ">=1.0.0 <2.0.0")
            .file(
                "modules/PKG-T1-CHILD-001/bin/run.sh",
                "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8),
                "0755")
            .writeTo(dir, KEY);
    VerifiedArchive v = verify(archive);
    assertThat(v.manifest().dependencies()).hasSize(1);
    assertThat(v.manifest().files()).hasSize(3);
  }

  static List<InstallCases.Case> cases() {
    return InstallCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyHostileArchiveIsRefusedByTheArchiveChecksAlone(InstallCases.Case c) throws Exception {
    Path archive = c.archive().get().writeTo(dir, KEY);
    long t0 = System.nanoTime();
    Throwable thrown = catchThrowable(() -> verify(archive));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(thrown).as(c.name()).isInstanceOf(AgentpkgException.class);
    AgentpkgException e = (AgentpkgException) thrown;
    assertThat(e.exitCode().code())
        .as("exit code for %s: %s", c.name(), e.getMessage())
        .isIn(c.exits());
    assertThat(e.getMessage()).as(c.name()).containsAnyOf(c.stderr().toArray(new String[0]));
    assertThat(took).as("time to refuse %s", c.name()).isLessThan(InstallWorld.MAX_REFUSAL);
  }

  @Test
  void splicedChunksMakeAValidGzipWithTheRightContentAndCrc() throws Exception {
    Path f = dir.resolve("z.gz");
    long zeros = 3L * InstallArchiveBuilder.Gz.MIB + 5;
    try (InstallArchiveBuilder.Gz gz = new InstallArchiveBuilder.Gz(f)) {
      gz.write("head".getBytes(StandardCharsets.UTF_8));
      gz.zeros(zeros);
      gz.repeat("abc".getBytes(StandardCharsets.US_ASCII), 1000);
      gz.write("tail".getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
      in.transferTo(out); // GZIPInputStream checks the trailer's CRC and length
    }
    byte[] all = out.toByteArray();
    assertThat(all).hasSize((int) (8 + zeros + 3000));
    assertThat(new String(all, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("head");
    String end = new String(all, all.length - 3004, 3004, StandardCharsets.US_ASCII);
    assertThat(end).isEqualTo("abc".repeat(1000) + "tail");
    for (int i = 4; i < all.length - 3004; i++) {
      if (all[i] != 0) {
        throw new AssertionError("non-zero byte at " + i);
      }
    }
  }

  @Test
  void theBigArchivesAreSmallOnDisk() throws Exception {
    Path bomb = InstallCases.tenGibEntry().writeTo(dir.resolve("bomb"), KEY);
    assertThat(Files.size(bomb)).isBetween(5L << 20, 16L << 20);
    Path million = InstallCases.millionEntries().writeTo(dir.resolve("million"), KEY);
    assertThat(Files.size(million)).isLessThan(128L << 20);
  }
}

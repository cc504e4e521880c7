package dev.agentpkg.integrity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.archive.DeterministicTarGz;
import dev.agentpkg.integrity.archive.EntrySink;
import dev.agentpkg.integrity.crypto.Statement;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.FileEntry;
import dev.agentpkg.integrity.manifest.Manifest;
import dev.agentpkg.integrity.manifest.PackageDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The manifest's checks run in parallel; what they report must not depend on it. */
class ArchiveVerifierTest {
  private static final byte[] CONTENT = "hello\n".getBytes(StandardCharsets.UTF_8);
  private static final String PATH = "modules/PKG-T3-DEMO-001/hello.txt";

  private final ArchiveVerifier verifier = new ArchiveVerifier(ArchiveLimits.defaults());

  @Test
  void theManifestReachesThePlanBeforeThePayloadAndIsReturned() throws IOException {
    byte[] manifest = manifest().canonicalBytes();
    AtomicReference<Manifest> planned = new AtomicReference<>();
    List<String> written = new ArrayList<>();
    ContentsRead read =
        verifier.readContents(
            new ByteArrayInputStream(archive(manifest)),
            "demo.tar.gz",
            statementFor(manifest),
            planned::set,
            f -> {
              assertThat(planned.get()).isNotNull();
              written.add(f.path());
              return new ByteArrayOutputStream();
            });
    assertThat(read.manifest()).isEqualTo(planned.get());
    assertThat(written).containsExactly(PATH);
  }

  @Test
  void aNonCanonicalManifestIsTheRefusalEvenWhenThePlanAlsoFails() throws IOException {
    byte[] canonical = manifest().canonicalBytes();
    byte[] spaced = new byte[canonical.length + 1];
    spaced[0] = '{';
    spaced[1] = ' ';
    System.arraycopy(canonical, 1, spaced, 2, canonical.length - 1);
    assertThatThrownBy(() -> read(spaced, m -> {}))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("not canonical");
    assertThatThrownBy(
            () ->
                read(
                    spaced,
                    m -> {
                      throw new ConflictException("owned by another package");
                    }))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("not canonical");
  }

  @Test
  void thePlansRefusalPassesThroughForACanonicalManifest() throws IOException {
    byte[] manifest = manifest().canonicalBytes();
    assertThatThrownBy(
            () ->
                read(
                    manifest,
                    m -> {
                      throw new ConflictException("owned by another package");
                    }))
        .isInstanceOf(ConflictException.class)
        .hasMessage("owned by another package");
  }

  private void read(byte[] manifest, java.util.function.Consumer<Manifest> plan)
      throws IOException {
    verifier.readContents(
        new ByteArrayInputStream(archive(manifest)),
        "demo.tar.gz",
        statementFor(manifest),
        plan,
        EntrySink.DISCARD);
  }

  private static Manifest manifest() {
    PackageDescriptor d =
        PackageDescriptor.parse(
            ("{\"id\":\"PKG-T3-DEMO-001\",\"name\":\"demo\",\"version\":\"1.0.0\",\"tier\":\"T3\","
                    + "\"spec_id\":\"SPEC-DEMO-001\",\"description\":\"demo\"}")
                .getBytes(StandardCharsets.UTF_8),
            "package.json");
    return d.toManifest(List.of(new FileEntry(PATH, Sha256.hex(CONTENT), CONTENT.length, "0644")));
  }

  private static Statement statementFor(byte[] manifest) {
    return new Statement("0".repeat(64), "PKG-T3-DEMO-001", Sha256.hex(manifest), "T3", "1.0.0");
  }

  private static byte[] archive(byte[] manifest) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeterministicTarGz tar = new DeterministicTarGz(out, 0, 1)) {
      tar.addFile("manifest.json", 0644, manifest);
      tar.addFile(PATH, 0644, CONTENT);
    }
    return out.toByteArray();
  }
}

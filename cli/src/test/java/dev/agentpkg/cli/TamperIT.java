package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentpkg.integrity.crypto.DsseEnvelope;
import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.crypto.KeyFiles;
import dev.agentpkg.integrity.crypto.Statement;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.ledger.LedgerEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage that `verify` and `ledger verify` must catch, each with its exit code. */
class TamperIT {
  @TempDir Path dir;
  Fixture fx;
  Path archive;

  @BeforeEach
  void setUp() throws Exception {
    fx = new Fixture(dir);
    archive = fx.packExample("runtime", "PKG-T1-RUNTIME-001");
  }

  @Test
  void aFlippedByteAnywhereIsCaught() throws Exception {
    byte[] original = Files.readAllBytes(archive);
    for (int pos :
        new int[] {0, 10, original.length / 2, original.length - 9, original.length - 1}) {
      byte[] bad = original.clone();
      bad[pos] ^= 0x01;
      Files.write(archive, bad);
      fx.cli.json(3, "verify", archive.toString());
    }
    // without the sidecar the signature itself must catch it
    Files.delete(Path.of(archive + ".sha256"));
    byte[] bad = original.clone();
    bad[original.length / 2] ^= 0x40;
    Files.write(archive, bad);
    assertThat(fx.cli.json(3, "verify", archive.toString()).err())
        .contains("signed statement covers");
    Files.write(archive, original);
    fx.cli.json(0, "verify", archive.toString());
  }

  @Test
  void aFileSwappedInFromAnotherArchiveIsCaughtEvenWhenResigned() throws Exception {
    Path other = fx.packExample("evidence", "PKG-T0-EVIDENCE-001");
    Map<String, byte[]> mine = entries(archive);
    byte[] foreign = entries(other).values().stream().skip(1).findFirst().orElseThrow();
    String victim = mine.keySet().stream().skip(1).findFirst().orElseThrow();
    mine.put(victim, foreign);
    resignAs(writeTarGz(mine), fx.key);
    assertThat(fx.cli.json(3, "verify", archive.toString()).err()).contains(victim);
  }

  @Test
  void aStatementSignedForADifferentArchiveIsCaught() throws Exception {
    DsseEnvelope env = DsseEnvelope.parse(Files.readAllBytes(Path.of(archive + ".sig")));
    Statement s = Statement.parse(env.payload());
    Statement forged =
        new Statement("0".repeat(64), s.id(), s.manifestSha256(), s.tier(), s.version());
    Files.write(
        Path.of(archive + ".sig"),
        DsseEnvelope.sign(forged.canonicalBytes(), KeyFiles.readPrivate(fx.key)).toJsonBytes());
    Files.delete(Path.of(archive + ".sha256"));
    assertThat(fx.cli.json(3, "verify", archive.toString()).err())
        .contains("signed statement covers");
  }

  @Test
  void untrustedRevokedAndMissingSignersAreDenied() throws Exception {
    Path stranger = dir.resolve("stranger.pem");
    fx.cli.json(0, "keys", "generate", "--out", stranger.toString());
    fx.cli.json(0, "sign", archive.toString(), "--key", stranger.toString());
    // two signatures: still fine while one of them is trusted
    fx.cli.json(0, "verify", archive.toString());
    // only the stranger's signature: untrusted
    byte[] sig = Files.readAllBytes(Path.of(archive + ".sig"));
    DsseEnvelope both = DsseEnvelope.parse(sig);
    Ed25519PrivateKey strangerKey = KeyFiles.readPrivate(stranger);
    Files.write(
        Path.of(archive + ".sig"), DsseEnvelope.sign(both.payload(), strangerKey).toJsonBytes());
    assertThat(fx.cli.json(6, "verify", archive.toString()).err())
        .contains(strangerKey.publicKey().keyId());
    Files.write(Path.of(archive + ".sig"), sig);
    fx.cli.json(0, "keys", "revoke", fx.keyId, "--token", fx.adminToken);
    assertThat(fx.cli.json(6, "verify", archive.toString()).err()).contains("revoked");
    Files.delete(Path.of(archive + ".sig"));
    assertThat(fx.cli.json(6, "verify", archive.toString()).err()).contains("unsigned");
  }

  @Test
  void truncatedOrGarbageSignatureFilesAreIntegrityFailures() throws Exception {
    Path sig = Path.of(archive + ".sig");
    byte[] good = Files.readAllBytes(sig);
    Files.write(sig, java.util.Arrays.copyOf(good, good.length / 2));
    fx.cli.json(3, "verify", archive.toString());
    Files.writeString(sig, "not json at all");
    fx.cli.json(3, "verify", archive.toString());
    Files.writeString(sig, "{\"payloadType\":\"x\",\"payload\":\"!!\",\"signatures\":[]}");
    fx.cli.json(3, "verify", archive.toString());
  }

  @Test
  void ledgerVerifyCatchesEveryKindOfTampering() throws Exception {
    Path ledger = fx.root.resolve("ledger/governance.jsonl");
    fx.createToken("operator");
    List<String> good = Files.readAllLines(ledger);
    assertThat(good).hasSizeGreaterThanOrEqualTo(5);
    fx.cli.json(0, "ledger", "verify");

    List<String> edited = new ArrayList<>(good);
    edited.set(2, edited.get(2).replace("\"tests\"", "\"mallory\""));
    assertThat(edited.get(2)).isNotEqualTo(good.get(2));
    expectBroken(ledger, edited, 3);

    List<String> deleted = new ArrayList<>(good);
    deleted.remove(1);
    // the line where seq 2 stood now holds seq 3: that entry is reported
    expectBroken(ledger, deleted, 3);

    List<String> reordered = new ArrayList<>(good);
    reordered.set(1, good.get(2));
    reordered.set(2, good.get(1));
    expectBroken(ledger, reordered, 3);

    // a well-formed entry with its own valid hash, chained to a head that is not ours
    LedgerEntry fakeHead =
        new LedgerEntry(
            good.size(),
            "2026-01-01T00:00:00Z",
            "INIT",
            null,
            null,
            dev.agentpkg.integrity.json.Json.object(),
            LedgerEntry.GENESIS_PREV,
            "sha256:" + "f".repeat(64));
    LedgerEntry outOfChain =
        LedgerEntry.next(
            fakeHead,
            java.time.Instant.parse("2030-01-01T00:00:00Z"),
            "KEY_TRUSTED",
            null,
            null,
            dev.agentpkg.integrity.json.Json.object());
    assertThat(outOfChain.hash()).isEqualTo(outOfChain.computeHash());
    List<String> appended = new ArrayList<>(good);
    appended.add(outOfChain.toJsonLine());
    expectBroken(ledger, appended, good.size() + 1);

    List<String> truncated = new ArrayList<>(good.subList(0, good.size() - 2));
    Files.write(ledger, truncated);
    Agentpkg.Result r = fx.cli.json(3, "ledger", "verify");
    assertThat(r.json().get("problem").get("kind").asText()).isEqualTo("TRUNCATED");

    Files.write(ledger, good);
    fx.cli.json(0, "ledger", "verify");
  }

  private void expectBroken(Path ledger, List<String> lines, int seq) throws Exception {
    Files.write(ledger, lines);
    Agentpkg.Result r = fx.cli.json(3, "ledger", "verify");
    assertThat(r.json().get("problem").get("kind").asText()).isEqualTo("BROKEN");
    assertThat(r.json().get("problem").get("seq").asLong()).as(r.out()).isEqualTo(seq);
  }

  private static Map<String, byte[]> entries(Path archive) throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(archive))))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        out.put(e.getName(), tar.readAllBytes());
      }
    }
    return out;
  }

  private static byte[] writeTarGz(Map<String, byte[]> entries) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry t = new TarArchiveEntry(e.getKey());
        t.setSize(e.getValue().length);
        t.setMode(0100644);
        tar.putArchiveEntry(t);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Writes the archive and a valid, trusted signature over its real digest. */
  private void resignAs(byte[] archiveBytes, Path key) throws Exception {
    Files.write(archive, archiveBytes);
    Files.delete(Path.of(archive + ".sha256"));
    DsseEnvelope env = DsseEnvelope.parse(Files.readAllBytes(Path.of(archive + ".sig")));
    Statement s = Statement.parse(env.payload());
    Statement resigned =
        new Statement(Sha256.hex(archiveBytes), s.id(), s.manifestSha256(), s.tier(), s.version());
    Files.write(
        Path.of(archive + ".sig"),
        DsseEnvelope.sign(resigned.canonicalBytes(), KeyFiles.readPrivate(key)).toJsonBytes());
    assertThat(new String(Files.readAllBytes(Path.of(archive + ".sig")), StandardCharsets.UTF_8))
        .contains("payload");
  }
}

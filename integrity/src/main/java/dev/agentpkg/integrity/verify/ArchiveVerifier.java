package dev.agentpkg.integrity.verify;

import dev.agentpkg.core.DeniedException;
import dev.agentpkg.core.Handoff;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.archive.ArchiveReadResult;
import dev.agentpkg.integrity.archive.EntrySink;
import dev.agentpkg.integrity.archive.ExpectedFile;
import dev.agentpkg.integrity.archive.PackageArchiveReader;
import dev.agentpkg.integrity.crypto.DsseEnvelope;
import dev.agentpkg.integrity.crypto.Ed25519PublicKey;
import dev.agentpkg.integrity.crypto.Statement;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.FileEntry;
import dev.agentpkg.integrity.manifest.Manifest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Checks an archive without installing it, in the order install relies on: the signature is checked
 * against the archive's digest before a single entry is parsed, and the manifest must match the
 * signed statement before its file list is trusted.
 */
public final class ArchiveVerifier {
  private final ArchiveLimits limits;

  public ArchiveVerifier(ArchiveLimits limits) {
    this.limits = limits;
  }

  /**
   * Verifies a file in place: sidecar digest, signature, statement, manifest, every entry.
   *
   * @param knownKeys public keys by key id (trusted or not; the caller decides trust)
   */
  public VerifiedArchive verify(
      Path archive, Function<String, Optional<Ed25519PublicKey>> knownKeys) {
    String name = archive.getFileName().toString();
    String archiveSha256 = sha256Of(archive);
    checkSidecar(archive, archiveSha256);
    SignedStatement signed = checkSignature(name, archiveSha256, readEnvelope(archive), knownKeys);
    ContentsRead read =
        readContents(archive, name, Optional.of(signed.statement()), m -> {}, EntrySink.DISCARD);
    return new VerifiedArchive(
        archive,
        archiveSha256,
        signed.statement(),
        read.manifest(),
        signed.envelope(),
        signed.verifiedKeyIds(),
        signed.unknownKeyIds(),
        read.payloadEntries(),
        read.payloadBytes());
  }

  /**
   * Checks that the envelope's statement covers exactly {@code archiveSha256} and that at least one
   * signature verifies with a known key. Nothing of the archive is parsed before this passes.
   */
  public SignedStatement checkSignature(
      String name,
      String archiveSha256,
      DsseEnvelope envelope,
      Function<String, Optional<Ed25519PublicKey>> knownKeys) {
    if (!DsseEnvelope.PAYLOAD_TYPE.equals(envelope.payloadType())) {
      throw new VerificationException(
          name + ".sig: unexpected payload type '" + envelope.payloadType() + "'");
    }
    Statement statement = Statement.parse(envelope.payload());
    checkDigest(name, statement, archiveSha256);
    return checkEnvelope(name, envelope, knownKeys);
  }

  /** The archive's digest must be the one the signed statement covers. */
  public static void checkDigest(String name, Statement statement, String archiveSha256) {
    if (!statement.archiveSha256().equals(archiveSha256)) {
      throw new VerificationException(
          name
              + ": signed statement covers archive sha256 "
              + statement.archiveSha256()
              + " but the file has "
              + archiveSha256);
    }
  }

  /**
   * Checks that at least one signature over the envelope's statement verifies with a known key,
   * before the archive is read: the statement then vouches for the manifest's digest, and the
   * manifest for every payload file's, so a streamed read checks each byte before it is used. The
   * caller must still {@link #checkDigest} the whole archive before relying on it.
   */
  public SignedStatement checkEnvelope(
      String name, DsseEnvelope envelope, Function<String, Optional<Ed25519PublicKey>> knownKeys) {
    if (!DsseEnvelope.PAYLOAD_TYPE.equals(envelope.payloadType())) {
      throw new VerificationException(
          name + ".sig: unexpected payload type '" + envelope.payloadType() + "'");
    }
    Statement statement = Statement.parse(envelope.payload());
    List<String> verified = envelope.verifiedKeyIds(knownKeys);
    List<String> unknown = new ArrayList<>();
    for (DsseEnvelope.Signature s : envelope.signatures()) {
      if (knownKeys.apply(s.keyId()).isEmpty()) {
        unknown.add(s.keyId());
      }
    }
    if (verified.isEmpty()) {
      if (unknown.size() == envelope.signatures().size()) {
        throw new DeniedException(
            name + ": signed only by unknown key(s) " + String.join(", ", unknown));
      }
      throw new VerificationException(name + ": no signature verifies over the statement");
    }
    return new SignedStatement(statement, envelope, verified, unknown);
  }

  /**
   * Reads the archive once: the manifest must be first, canonical and (given a statement) the
   * signed one; {@code beforePayload} sees it before any payload byte reaches {@code sink} and may
   * throw to stop; then every entry is checked against it.
   */
  public ContentsRead readContents(
      Path archive,
      String name,
      Optional<Statement> statement,
      Consumer<Manifest> beforePayload,
      EntrySink sink) {
    ManifestCheck check = new ManifestCheck(name, statement, beforePayload);
    ArchiveReadResult read = readAll(archive, check, sink);
    return new ContentsRead(check.manifest, read.payloadEntries(), read.payloadBytes());
  }

  /** {@link #readContents(Path, String, Optional, Consumer, EntrySink)} from a stream. */
  public ContentsRead readContents(
      InputStream archive,
      String name,
      Statement statement,
      Consumer<Manifest> beforePayload,
      EntrySink sink) {
    ManifestCheck check = new ManifestCheck(name, Optional.of(statement), beforePayload);
    ArchiveReadResult read = new PackageArchiveReader(limits).read(archive, check, sink);
    return new ContentsRead(check.manifest, read.payloadEntries(), read.payloadBytes());
  }

  /**
   * Checks an archive's manifest and every payload entry without looking at signatures: what {@code
   * sign} must know before it vouches for an archive.
   */
  public Manifest checkContents(Path archive) {
    if (!Files.isRegularFile(archive)) {
      throw new NotFoundException("archive " + archive + " does not exist");
    }
    return readContents(
            archive, archive.getFileName().toString(), Optional.empty(), m -> {}, EntrySink.DISCARD)
        .manifest();
  }

  /** Reads only the (first-entry, canonical) manifest of an archive, for reports such as trace. */
  public Manifest readManifest(Path archive) {
    Manifest[] found = new Manifest[1];
    try {
      readContents(
          archive,
          archive.getFileName().toString(),
          Optional.empty(),
          m -> {
            found[0] = m;
            throw new StopAfterManifest();
          },
          EntrySink.DISCARD);
    } catch (StopAfterManifest stop) {
      return found[0];
    }
    return found[0];
  }

  private static final class StopAfterManifest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopAfterManifest() {
      super(null, null, false, false);
    }
  }

  /** The exact payload a manifest promises, as the archive reader checks it. */
  public static Map<String, ExpectedFile> expectedFiles(Manifest m) {
    Map<String, ExpectedFile> expected = new LinkedHashMap<>();
    for (FileEntry f : m.files()) {
      expected.put(f.path(), new ExpectedFile(f.path(), f.size(), f.sha256(), f.modeBits()));
    }
    return expected;
  }

  private ArchiveReadResult readAll(Path archive, ManifestCheck check, EntrySink sink) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
      return new PackageArchiveReader(limits).read(in, check, sink);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("archive " + archive + " does not exist");
    } catch (IOException e) {
      throw new StorageException("cannot read " + archive + ": " + e.getMessage(), e);
    }
  }

  /** Binds the manifest read from the archive to the signed statement, when there is one. */
  private static final class ManifestCheck
      implements dev.agentpkg.integrity.archive.ManifestHandler {
    private final String name;
    private final Optional<Statement> statement;
    private final Consumer<Manifest> beforePayload;
    private Manifest manifest;

    ManifestCheck(String name, Optional<Statement> statement, Consumer<Manifest> beforePayload) {
      this.name = name;
      this.statement = statement;
      this.beforePayload = beforePayload;
    }

    @Override
    public Map<String, ExpectedFile> accept(byte[] manifestBytes) {
      if (statement.isPresent()
          && !Sha256.hex(manifestBytes).equals(statement.get().manifestSha256())) {
        throw new VerificationException(
            name + ": manifest.json differs from the one the signature covers");
      }
      Manifest m = Manifest.parse(manifestBytes, "manifest.json in " + name);
      // Re-serialising 20,000 entries (~45 ms) runs beside install's plan, which reads the
      // registry and the ownership index for as long; a non-canonical manifest is still the
      // refusal reported, whatever the steps after it would have said.
      Handoff.firstBeside(
          "agentpkg-canonical-check",
          () -> {
            if (!Arrays.equals(m.canonicalBytes(), manifestBytes)) {
              throw new VerificationException(name + ": manifest.json is not canonical JSON");
            }
          },
          () -> {
            if (statement.isPresent()) {
              mustEqual("id", statement.get().id(), m.id().value());
              mustEqual("version", statement.get().version(), m.version().toString());
              mustEqual("tier", statement.get().tier(), m.tier().name());
            }
            this.manifest = m;
            beforePayload.accept(m);
          },
          "checking manifest.json");
      return expectedFiles(m);
    }

    private void mustEqual(String field, String signed, String inManifest) {
      if (!signed.equals(inManifest)) {
        throw new VerificationException(
            name + ": manifest " + field + " " + inManifest + " differs from signed " + signed);
      }
    }
  }

  /** SHA-256 of a whole file; a missing file is {@link NotFoundException} naming it. */
  public static String sha256Of(Path archive) {
    try (InputStream in = Files.newInputStream(archive)) {
      return Sha256.hex(in);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("archive " + archive + " does not exist");
    } catch (IOException e) {
      throw new StorageException("cannot read " + archive + ": " + e.getMessage(), e);
    }
  }

  /** Checks {@code <archive>.sha256} when it exists. */
  public static void checkSidecar(Path archive, String archiveSha256) {
    Path sidecar = archive.resolveSibling(archive.getFileName() + ".sha256");
    if (!Files.exists(sidecar)) {
      return;
    }
    String line;
    try {
      line = Files.readString(sidecar, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new StorageException("cannot read " + sidecar + ": " + e.getMessage(), e);
    }
    int sp = line.indexOf(' ');
    String recorded = sp < 0 ? line : line.substring(0, sp);
    if (!recorded.equals(archiveSha256)) {
      throw new VerificationException(
          sidecar.getFileName() + " says " + recorded + " but the archive has " + archiveSha256);
    }
  }

  /** Reads {@code <archive>.sig}; a missing one means unsigned, which is denied. */
  public static DsseEnvelope readEnvelope(Path archive) {
    Path sig = archive.resolveSibling(archive.getFileName() + ".sig");
    try {
      return DsseEnvelope.parse(Files.readAllBytes(sig));
    } catch (NoSuchFileException e) {
      throw new DeniedException(
          archive.getFileName() + " is unsigned (no " + sig.getFileName() + "); sign it first");
    } catch (IOException e) {
      throw new StorageException("cannot read " + sig + ": " + e.getMessage(), e);
    }
  }
}

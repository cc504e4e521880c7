package dev.agentpkg.integrity.pack;

import dev.agentpkg.core.AtomicFiles;
import dev.agentpkg.core.Handoff;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.archive.DeterministicTarGz;
import dev.agentpkg.integrity.crypto.DsseEnvelope;
import dev.agentpkg.integrity.crypto.Statement;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.FileEntry;
import dev.agentpkg.integrity.manifest.Manifest;
import dev.agentpkg.integrity.manifest.PackageDescriptor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns a source folder into {@code <ID>-<VERSION>.tar.gz} plus {@code .sha256} and (with a key)
 * {@code .sig}. The archive is a pure function of the source's paths, modes and bytes; outputs
 * appear only when complete (temp file, then rename), so a failure leaves nothing behind.
 */
public final class PackageBuilder {
  private static final String MANIFEST_ENTRY = "manifest.json";

  private PackageBuilder() {}

  public static PackResult pack(PackRequest request) {
    Path src = request.sourceDir();
    if (!Files.isDirectory(src)) {
      throw new NotFoundException("source folder " + src + " does not exist");
    }
    Path descriptorFile = src.resolve(SourceScanner.DESCRIPTOR);
    if (!Files.isRegularFile(descriptorFile)) {
      throw new NotFoundException("no package.json in " + src);
    }
    PackageDescriptor descriptor =
        PackageDescriptor.parse(readAll(descriptorFile), descriptorFile.toString());
    request
        .expectedId()
        .filter(id -> !id.equals(descriptor.id().value()))
        .ifPresent(
            id -> {
              throw new UsageException(
                  "--id " + id + " does not match package.json id " + descriptor.id());
            });

    List<SourceScanner.SourceFile> sources = new ArrayList<>();
    List<FileEntry> entries = scanAndHash(src, sources, request.threads());
    Manifest manifest = descriptor.toManifest(entries);
    byte[] manifestBytes = manifest.canonicalBytes();
    String manifestSha256 = Sha256.hex(manifestBytes);

    String baseName = descriptor.id().value() + "-" + descriptor.version() + ".tar.gz";
    Path archive = request.outputFile().orElse(request.outputDir().resolve(baseName));
    Path dir = archive.toAbsolutePath().getParent();
    Path checksum = sibling(archive, ".sha256");
    Path signature = sibling(archive, ".sig");
    List<Path> temps = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      Path tmpArchive = tempBeside(archive, temps);
      String archiveSha256 = writeArchive(tmpArchive, manifestBytes, manifest, sources, request);
      long archiveBytes = Files.size(tmpArchive);

      Path tmpSum = tempBeside(checksum, temps);
      Files.writeString(
          tmpSum, archiveSha256 + "  " + archive.getFileName() + "\n", StandardCharsets.UTF_8);
      Optional<Path> tmpSig = Optional.empty();
      Optional<String> signer = Optional.empty();
      if (request.signingKey().isPresent()) {
        Statement statement =
            new Statement(
                archiveSha256,
                descriptor.id().value(),
                manifestSha256,
                descriptor.tier().name(),
                descriptor.version().toString());
        DsseEnvelope envelope =
            DsseEnvelope.sign(statement.canonicalBytes(), request.signingKey().get());
        Path t = tempBeside(signature, temps);
        Files.write(t, envelope.toJsonBytes());
        tmpSig = Optional.of(t);
        signer = Optional.of(request.signingKey().get().publicKey().keyId());
      } else {
        // a stale signature would describe a different archive
        Files.deleteIfExists(signature);
      }
      AtomicFiles.moveIntoPlace(tmpArchive, archive);
      AtomicFiles.moveIntoPlace(tmpSum, checksum);
      if (tmpSig.isPresent()) {
        AtomicFiles.moveIntoPlace(tmpSig.get(), signature);
      }
      temps.clear();
      long payload = entries.stream().mapToLong(FileEntry::size).sum();
      return new PackResult(
          manifest,
          archive,
          checksum,
          tmpSig.map(t -> signature),
          archiveSha256,
          manifestSha256,
          signer,
          payload,
          archiveBytes);
    } catch (IOException e) {
      throw new StorageException("cannot write " + archive + ": " + e.getMessage(), e);
    } finally {
      for (Path t : temps) {
        try {
          Files.deleteIfExists(t);
        } catch (IOException ignored) {
          // best effort: the temp name is unique and hidden
        }
      }
    }
  }

  private static String writeArchive(
      Path target,
      byte[] manifestBytes,
      Manifest manifest,
      List<SourceScanner.SourceFile> sources,
      PackRequest request)
      throws IOException {
    MessageDigest archiveDigest = Sha256.newDigest();
    try (OutputStream raw = Files.newOutputStream(target);
        DigestOutputStream hashed =
            new DigestOutputStream(new BufferedOutputStream(raw, 1 << 16), archiveDigest);
        DeterministicTarGz tar =
            new DeterministicTarGz(hashed, request.mtimeEpochSeconds(), request.threads())) {
      tar.addFile(MANIFEST_ENTRY, 0644, manifestBytes);
      List<SourceScanner.SourceFile> ordered = inManifestOrder(manifest, sources);
      for (int i = 0; i < ordered.size(); i++) {
        SourceScanner.SourceFile f = ordered.get(i);
        FileEntry expected = manifest.files().get(i);
        MessageDigest md = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(f.file()), md)) {
          tar.addFile(f.path(), expected.modeBits(), expected.size(), in);
        }
        if (!Sha256.hex(md).equals(expected.sha256())) {
          throw new VerificationException(
              "source file " + f.path() + " changed while packing; pack again");
        }
      }
    }
    return Sha256.hex(archiveDigest);
  }

  private static List<SourceScanner.SourceFile> inManifestOrder(
      Manifest manifest, List<SourceScanner.SourceFile> sources) {
    java.util.Map<String, SourceScanner.SourceFile> byPath = new java.util.HashMap<>();
    sources.forEach(s -> byPath.put(s.path(), s));
    List<SourceScanner.SourceFile> ordered = new ArrayList<>(sources.size());
    for (FileEntry e : manifest.files()) {
      ordered.add(byPath.get(e.path()));
    }
    return ordered;
  }

  /**
   * Lists the payload into {@code sources} and hashes it on all cores (SHA-256 is pack's second
   * cost after deflate). Each file is hashed as soon as the walk finds it: the walk alone left a
   * core idle for ~0.15 s on 20,000 files.
   */
  private static List<FileEntry> scanAndHash(
      Path src, List<SourceScanner.SourceFile> sources, int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<FileEntry>> futures = new ArrayList<>();
      sources.addAll(
          SourceScanner.scan(
              src,
              s ->
                  futures.add(
                      pool.submit(
                          () ->
                              new FileEntry(
                                  s.path(), Sha256.hexOfFile(s.file()), s.size(), s.mode())))));
      List<FileEntry> entries = new ArrayList<>(sources.size());
      for (Future<FileEntry> f : futures) {
        entries.add(Handoff.result(f, "hashing"));
      }
      return entries;
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static Path sibling(Path archive, String suffix) {
    return archive.resolveSibling(archive.getFileName() + suffix);
  }

  private static Path tempBeside(Path target, List<Path> temps) throws IOException {
    Path t =
        Files.createTempFile(
            target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", ".tmp");
    temps.add(t);
    return t;
  }
}

package dev.agentpkg.cli.run;

import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.manifest.Manifest;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.verify.ArchiveVerifier;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.state.FileOwnership;
import dev.agentpkg.registry.state.OwnedFile;
import dev.agentpkg.registry.state.PackageCode;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.registry.state.PackageRegistry;
import dev.agentpkg.registry.state.PackageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An installed package as the runtime needs it: its registry row, its manifest (capabilities and
 * runtime section) and the files recorded at install, for it and for every package it depends on.
 * The manifest comes from the archive in {@code packages_store/}, which must still be byte for byte
 * the one installed: its SHA-256 is checked against the registry row before it is trusted.
 */
public record InstalledModule(
    PackageRecord record,
    Manifest manifest,
    List<OwnedFile> files,
    Map<PackageRecord, List<OwnedFile>> dependencies) {

  public static InstalledModule load(Root root, PackageId id) {
    List<PackageRecord> installed = new PackageRegistry(root).list();
    PackageRecord record =
        installed.stream()
            .filter(r -> r.id().equals(id) && r.isActive())
            .findFirst()
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "package " + id + " is not installed (see `agentpkg list`)"));
    Path archive = new PackageStore(root).archive(id, record.version());
    if (!Files.isRegularFile(archive)) {
      throw new VerificationException(
          "the installed archive of "
              + id
              + " is missing from packages_store/ ("
              + archive.getFileName()
              + "); run `agentpkg integrity check`");
    }
    String actual = ArchiveVerifier.sha256Of(archive);
    if (!actual.equals(record.archiveSha256())) {
      throw new VerificationException(
          "packages_store/"
              + archive.getFileName()
              + " is not the archive installed for "
              + id
              + " (sha256 "
              + actual
              + ", registry says "
              + record.archiveSha256()
              + "); run `agentpkg integrity check`");
    }
    Manifest manifest = new ArchiveVerifier(ArchiveLimits.defaults()).readManifest(archive);
    FileOwnership ownership = new FileOwnership(root);
    Map<PackageRecord, List<OwnedFile>> deps = new LinkedHashMap<>();
    for (PackageRecord dep : PackageCode.dependencyClosure(record.dependencies(), installed)) {
      deps.put(dep, ownership.files(dep.id()));
    }
    return new InstalledModule(record, manifest, ownership.files(id), deps);
  }

  public PackageId id() {
    return record.id();
  }
}

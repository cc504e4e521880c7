package dev.agentpkg.registry.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.archive.EntrySink;
import dev.agentpkg.integrity.archive.PackageArchiveReader;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.manifest.PackageDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The descriptor part of a store archive's manifest.json, or why it could not be read. Read while
 * the archive is still being hashed, and used only when its digest turns out to be the installed
 * one, so it is trusted then; the file list is not built or re-validated, because for a 20,000-file
 * package it is most of the manifest and most of the cost of reading it.
 */
final class StoreManifest {
  private static final Set<String> LEFT_OUT = Set.of("schema", "files");

  private final PackageDescriptor descriptor;
  private final AgentpkgException error;

  private StoreManifest(PackageDescriptor descriptor, AgentpkgException error) {
    this.descriptor = descriptor;
    this.error = error;
  }

  static StoreManifest read(Path archive) {
    try {
      return new StoreManifest(parse(archive), null);
    } catch (AgentpkgException e) {
      return new StoreManifest(null, e);
    }
  }

  /** The descriptor, or the error reading it gave. */
  PackageDescriptor descriptor() {
    if (error != null) {
      throw error;
    }
    return descriptor;
  }

  private static PackageDescriptor parse(Path archive) {
    byte[][] manifest = new byte[1][];
    String what = "manifest.json in packages_store/" + archive.getFileName();
    try (InputStream in = Files.newInputStream(archive)) {
      new PackageArchiveReader(ArchiveLimits.defaults())
          .read(
              in,
              bytes -> {
                manifest[0] = bytes;
                throw new StopAfterManifest();
              },
              EntrySink.DISCARD);
    } catch (StopAfterManifest stop) {
      // read as far as needed
    } catch (IOException e) {
      throw new StorageException("cannot read " + archive + ": " + e.getMessage(), e);
    }
    if (manifest[0] == null) {
      throw new VerificationException(what + " is missing");
    }
    ObjectNode o = Json.parseObjectWithout(manifest[0], what, LEFT_OUT);
    if (o == null) {
      throw new VerificationException(what + " is not a JSON object");
    }
    return PackageDescriptor.parse(CanonicalJson.bytes(o), what);
  }

  private static final class StopAfterManifest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopAfterManifest() {
      super(null, null, false, false);
    }
  }
}

package dev.agentpkg.integrity.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.json.CanonicalJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code manifest.json} of an archive (SPEC 2.3): the package descriptor plus every payload
 * file, sorted by path in bytewise UTF-8 order. Its canonical bytes are what signatures cover.
 */
public record Manifest(PackageDescriptor descriptor, List<FileEntry> files) {
  public static final String SCHEMA = "agentpkg/manifest/v1";

  public Manifest {
    Objects.requireNonNull(descriptor, "descriptor");
    files = List.copyOf(Objects.requireNonNull(files, "files"));
    List<String> paths = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      String path = files.get(i).path();
      if (i > 0) {
        int c = PathRules.compareUtf8(files.get(i - 1).path(), path);
        if (c == 0) {
          throw new UsageException("files: path " + Messages.quote(path) + " is listed twice");
        }
        if (c > 0) {
          throw new UsageException(
              "files: not sorted by path (bytewise UTF-8): "
                  + Messages.quote(files.get(i - 1).path())
                  + " comes before "
                  + Messages.quote(path));
        }
      }
      paths.add(path);
    }
    PathRules.checkCollisions(paths);
    RuntimeSpec runtime = descriptor.runtime();
    if (runtime != null) {
      Set<String> listed = new HashSet<>(paths);
      for (String entry : runtime.classpath()) {
        if (!listed.contains(entry)) {
          throw new UsageException(
              "runtime.classpath entry "
                  + Messages.quote(entry)
                  + " is not one of the package's files");
        }
      }
    }
  }

  /** Parses a {@code manifest.json} strictly; {@code what} names it in error messages. */
  public static Manifest parse(byte[] json, String what) {
    return ManifestJson.parseManifest(json, what);
  }

  public ObjectNode toJson() {
    return ManifestJson.write(this);
  }

  /** Canonical JSON (SPEC 2.3): the exact bytes of {@code manifest.json} in an archive. */
  public byte[] canonicalBytes() {
    return CanonicalJson.bytes(toJson());
  }

  public PackageId id() {
    return descriptor.id();
  }

  public SemVer version() {
    return descriptor.version();
  }

  public Tier tier() {
    return descriptor.tier();
  }

  public RuntimeSpec runtime() {
    return descriptor.runtime();
  }

  public List<Dependency> dependencies() {
    return descriptor.dependencies();
  }

  public Capabilities capabilities() {
    return descriptor.capabilities();
  }

  /** {@code <ID>-<VERSION>.tar.gz}, the archive's file name. */
  public String archiveFileName() {
    return descriptor.id() + "-" + descriptor.version() + ".tar.gz";
  }

  /** Sum of the declared payload sizes, saturating at {@code Long.MAX_VALUE} for hostile input. */
  public long totalSize() {
    long total = 0;
    for (FileEntry f : files) {
      total += f.size();
      if (total < 0) {
        return Long.MAX_VALUE;
      }
    }
    return total;
  }
}

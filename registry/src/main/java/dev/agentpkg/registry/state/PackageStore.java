package dev.agentpkg.registry.state;

import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.registry.Root;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The root's {@code packages_store/}: archives named {@code <ID>-<VERSION>.tar.gz}. */
public final class PackageStore {
  private final Root root;

  public PackageStore(Root root) {
    this.root = root;
  }

  public static String fileName(PackageId id, SemVer version) {
    return id + "-" + version + ".tar.gz";
  }

  public Path archive(PackageId id, SemVer version) {
    return root.store().resolve(fileName(id, version));
  }

  /** The highest version of {@code id} in the store, if any. */
  public Optional<Path> newest(PackageId id) {
    String prefix = id + "-";
    if (!Files.isDirectory(root.store())) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(root.store())) {
      return s.flatMap(p -> versionOf(p, prefix).map(v -> Map.entry(v, p)).stream())
          .max(Map.Entry.comparingByKey(Comparator.naturalOrder()))
          .map(Map.Entry::getValue);
    } catch (IOException e) {
      throw new StorageException("cannot list " + root.store() + ": " + e.getMessage(), e);
    }
  }

  private static Optional<SemVer> versionOf(Path p, String prefix) {
    String n = p.getFileName().toString();
    if (!n.startsWith(prefix) || !n.endsWith(".tar.gz")) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          SemVer.parse(n.substring(prefix.length(), n.length() - ".tar.gz".length())));
    } catch (UsageException e) {
      return Optional.empty();
    }
  }
}

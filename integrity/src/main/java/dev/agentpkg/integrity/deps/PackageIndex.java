package dev.agentpkg.integrity.deps;

import dev.agentpkg.integrity.manifest.PackageId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Installed packages by id. Keyed by the id's text rather than the {@link PackageId} record: record
 * {@code equals}/{@code hashCode} run through invokedynamic method handles, which are several times
 * slower until the JIT has warmed up, and a CLI invocation is always a cold JVM.
 */
final class PackageIndex {
  private final Map<String, InstalledPackage> byId;

  private PackageIndex(int size) {
    byId = new HashMap<>(Math.max(16, size * 2));
  }

  /** Refuses a collection listing an id twice: which entry should win is the caller's call. */
  static PackageIndex of(Collection<InstalledPackage> installed) {
    Objects.requireNonNull(installed, "installed");
    PackageIndex index = new PackageIndex(installed.size() + 1);
    for (InstalledPackage p : installed) {
      Objects.requireNonNull(p, "installed package");
      if (index.byId.putIfAbsent(p.id().value(), p) != null) {
        throw new IllegalArgumentException("installed set lists " + p.id() + " twice");
      }
    }
    return index;
  }

  static boolean same(PackageId a, PackageId b) {
    return a.value().equals(b.value());
  }

  InstalledPackage get(PackageId id) {
    return byId.get(id.value());
  }

  /** Adds or replaces; returns the replaced package or null. */
  InstalledPackage put(InstalledPackage p) {
    return byId.put(p.id().value(), p);
  }

  Collection<InstalledPackage> values() {
    return byId.values();
  }

  int size() {
    return byId.size();
  }
}

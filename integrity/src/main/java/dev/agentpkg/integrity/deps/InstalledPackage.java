package dev.agentpkg.integrity.deps;

import dev.agentpkg.integrity.manifest.Dependency;
import dev.agentpkg.integrity.manifest.Manifest;
import dev.agentpkg.integrity.manifest.PackageDescriptor;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.integrity.manifest.Tier;
import java.util.List;
import java.util.Objects;

/**
 * What the root has installed, as far as dependencies are concerned.
 *
 * <p>Deliberately lenient: unlike {@link PackageDescriptor} it accepts self-dependencies, G0
 * dependencies, tier violations and a tier that disagrees with the id, because it is also built
 * from a registry on disk that may have been tampered with, and {@link DependencyChecker#checkAll}
 * must report such a set rather than fail to represent it.
 */
public record InstalledPackage(
    PackageId id, SemVer version, Tier tier, List<Dependency> dependencies) {
  public InstalledPackage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(tier, "tier");
    dependencies = List.copyOf(Objects.requireNonNull(dependencies, "dependencies"));
  }

  public static InstalledPackage of(Manifest m) {
    return of(m.descriptor());
  }

  public static InstalledPackage of(PackageDescriptor d) {
    return new InstalledPackage(d.id(), d.version(), d.tier(), d.dependencies());
  }
}

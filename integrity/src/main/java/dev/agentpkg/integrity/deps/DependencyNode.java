package dev.agentpkg.integrity.deps;

import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.integrity.manifest.VersionRange;
import java.util.List;
import java.util.Objects;

/**
 * One node of a dependency tree. {@code version} is the installed version, or null when the package
 * is not installed; {@code wanted} is the range of the edge leading here, null for the root. A
 * {@code cycle} node is a package already on the path from the root: it is not expanded again, so
 * it has no children.
 */
public record DependencyNode(
    PackageId id,
    SemVer version,
    VersionRange wanted,
    boolean cycle,
    List<DependencyNode> children) {
  public DependencyNode {
    Objects.requireNonNull(id, "id");
    children = List.copyOf(Objects.requireNonNull(children, "children"));
    if (cycle && !children.isEmpty()) {
      throw new IllegalArgumentException("cycle marker " + id + " may not have children");
    }
    if (version == null && !children.isEmpty()) {
      throw new IllegalArgumentException("missing package " + id + " may not have children");
    }
  }

  public boolean installed() {
    return version != null;
  }

  /** True when the package is installed in a version the edge accepts (always true at the root). */
  public boolean satisfied() {
    return version != null && (wanted == null || wanted.contains(version));
  }
}

package dev.agentpkg.integrity.manifest;

import java.util.Objects;

/** A dependency on another package by id, satisfied by any installed version inside the range. */
public record Dependency(PackageId id, VersionRange range) {
  public Dependency {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(range, "range");
  }

  public boolean isSatisfiedBy(PackageId otherId, SemVer version) {
    return id.equals(otherId) && range.contains(version);
  }
}

package dev.agentpkg.registry.install;

import dev.agentpkg.integrity.manifest.PackageId;
import java.util.Objects;

/**
 * @param force remove files changed since install too (otherwise they block the uninstall)
 */
public record UninstallRequest(PackageId id, boolean dryRun, boolean force) {
  public UninstallRequest {
    Objects.requireNonNull(id, "id");
  }
}

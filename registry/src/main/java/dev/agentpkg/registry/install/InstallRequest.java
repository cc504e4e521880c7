package dev.agentpkg.registry.install;

import dev.agentpkg.integrity.manifest.PackageId;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * @param archive the archive to install; its {@code .sig} (and optional {@code .sha256}) beside it
 * @param expectedId {@code --id}: the archive must hold this package
 * @param allowTransfer take over paths owned by other packages (admin only)
 * @param force replace or remove files of the installed version that were changed since install
 *     (otherwise an upgrade refuses, so local edits are never lost silently)
 */
public record InstallRequest(
    Path archive,
    Optional<PackageId> expectedId,
    boolean dryRun,
    boolean allowDowngrade,
    boolean allowTransfer,
    boolean force) {
  public InstallRequest {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(expectedId, "expectedId");
  }
}

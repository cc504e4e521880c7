package dev.agentpkg.registry.install;

import java.util.List;
import java.util.Optional;

/**
 * What a transaction does or would do.
 *
 * @param action install, upgrade, downgrade, reinstall (no-op) or uninstall
 * @param add paths the package gains
 * @param replace paths whose content is replaced
 * @param remove paths removed from the root
 * @param checks the checks that passed, in order, for people and for {@code --dry-run}
 */
public record TransactionPlan(
    String action,
    String packageId,
    String version,
    String tier,
    Optional<String> previousVersion,
    String archiveSha256,
    String manifestSha256,
    String signerKeyId,
    List<String> add,
    List<String> replace,
    List<String> remove,
    List<String> transfers,
    List<String> kept,
    List<String> checks) {
  public TransactionPlan {
    add = List.copyOf(add);
    replace = List.copyOf(replace);
    remove = List.copyOf(remove);
    transfers = List.copyOf(transfers);
    kept = List.copyOf(kept);
    checks = List.copyOf(checks);
  }
}

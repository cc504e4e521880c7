package dev.agentpkg.registry.audit;

import java.util.List;

/**
 * @param files owned files re-hashed
 * @param scannedForOrphans files under the root looked at for ownership (0 with --package)
 */
public record IntegrityReport(
    int packages, long files, long bytes, long scannedForOrphans, List<Finding> findings) {
  public IntegrityReport {
    findings = List.copyOf(findings);
  }

  public boolean healthy() {
    return findings.isEmpty();
  }
}

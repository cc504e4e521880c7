package dev.agentpkg.integrity.verify;

import dev.agentpkg.integrity.crypto.DsseEnvelope;
import dev.agentpkg.integrity.crypto.Statement;
import java.util.List;

/**
 * A statement whose signature verified with at least one known key and whose archive digest matches
 * the bytes read. Trust in those keys is the caller's decision.
 */
public record SignedStatement(
    Statement statement,
    DsseEnvelope envelope,
    List<String> verifiedKeyIds,
    List<String> unknownKeyIds) {
  public SignedStatement {
    verifiedKeyIds = List.copyOf(verifiedKeyIds);
    unknownKeyIds = List.copyOf(unknownKeyIds);
  }
}

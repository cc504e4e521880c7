package dev.agentpkg.api;

import java.util.Map;

/**
 * Records evidence: each call appends one {@code EVIDENCE} ledger event for the running package.
 */
public interface EvidenceEmitter {
  /**
   * @param kind a short machine-readable kind, e.g. {@code session.summary}
   * @param fields string values only, so the record stays canonical JSON
   */
  void emit(String kind, Map<String, String> fields);
}

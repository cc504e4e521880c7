package org.example.agents.evidence;

import dev.agentpkg.api.EvidenceEmitter;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A typed, validated piece of evidence. Modules build one and {@link #emitTo(EvidenceEmitter)} it
 * rather than passing free-form maps, so every record in the ledger has a known shape.
 */
public record EvidenceRecord(String kind, String subject, Map<String, String> facts) {
  private static final Pattern KIND = Pattern.compile("^[a-z][a-z0-9]*(\\.[a-z][a-z0-9_]*)+$");
  private static final int MAX_FACTS = 64;
  private static final int MAX_VALUE = 4096;

  public EvidenceRecord {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    if (!KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("evidence kind must look like 'area.name', got: " + kind);
    }
    if (subject.isBlank()) {
      throw new IllegalArgumentException("evidence subject must not be blank");
    }
    if (facts.size() > MAX_FACTS) {
      throw new IllegalArgumentException("at most " + MAX_FACTS + " facts per record");
    }
    facts.forEach(
        (k, v) -> {
          if (k.isBlank() || v == null || v.length() > MAX_VALUE) {
            throw new IllegalArgumentException("bad fact '" + k + "'");
          }
        });
    facts = Map.copyOf(new TreeMap<>(facts));
  }

  /** Emits this record; the subject travels as the {@code subject} field. */
  public void emitTo(EvidenceEmitter emitter) {
    Map<String, String> fields = new TreeMap<>(facts);
    fields.put("subject", subject);
    emitter.emit(kind, fields);
  }
}

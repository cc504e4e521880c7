package dev.agentpkg.registry.install;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.json.Json;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a {@link CodeScreen}: how much code was scanned under which policy, and the
 * offending references ({@code class#method -> reference [category]}), possibly capped at a
 * reporting limit while {@code violationCount} counts them all.
 */
public record CodeVerdict(
    int jars, int classes, String policySha256, List<String> violations, int violationCount) {
  static final int LISTED_IN_ERROR = 20;

  public CodeVerdict {
    Objects.requireNonNull(policySha256, "policySha256");
    violations = List.copyOf(violations);
    if (violationCount < violations.size()) {
      throw new IllegalArgumentException("violationCount is below the violations listed");
    }
  }

  public boolean allowed() {
    return violationCount == 0;
  }

  /** The ledger's view: the verdict, its size and the policy it was reached under. */
  public ObjectNode toJson() {
    ObjectNode d = Json.object();
    d.put("verdict", allowed() ? "allowed" : "refused");
    d.put("jars", jars);
    d.put("classes", classes);
    d.put("violations", violationCount);
    d.put("policy_sha256", policySha256);
    return d;
  }

  /** One line for people, e.g. {@code 2 jars, 14 classes: allowed (policy 1a2b3c4d5e6f)}. */
  public String summary() {
    return jars
        + (jars == 1 ? " jar, " : " jars, ")
        + classes
        + (classes == 1 ? " class: " : " classes: ")
        + (allowed() ? "allowed" : violationCount + " forbidden references")
        + " (policy "
        + policySha256.substring(0, Math.min(12, policySha256.length()))
        + ")";
  }

  /** The error text when the verdict refuses {@code subject}: the count and the first offenders. */
  public String refusal(String subject) {
    int listed = Math.min(LISTED_IN_ERROR, violations.size());
    StringBuilder b =
        new StringBuilder(subject)
            .append(" is refused by the bytecode scan: ")
            .append(violationCount)
            .append(violationCount == 1 ? " forbidden reference" : " forbidden references")
            .append(" (modules reach the outside only through dev.agentpkg.api.ModuleContext)");
    for (int i = 0; i < listed; i++) {
      b.append("\n  ").append(violations.get(i));
    }
    if (violationCount > listed) {
      b.append("\n  ... and ").append(violationCount - listed).append(" more");
    }
    return b.toString();
  }
}

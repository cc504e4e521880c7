package dev.agentpkg.integrity.manifest;

import dev.agentpkg.core.UsageException;
import java.util.List;

/**
 * The file capabilities a runtime module declares (SPEC 6): root-relative globs where {@code *}
 * matches within a segment and {@code **} across segments. Patterns are validated here so the
 * runtime's matcher only ever sees well-formed ones.
 */
public record Capabilities(
    List<String> read, List<String> write, List<String> execute, List<String> forbidden) {
  public static final int MAX_PATTERNS = 256;

  public Capabilities {
    read = checked("read", read);
    write = checked("write", write);
    execute = checked("execute", execute);
    forbidden = checked("forbidden", forbidden);
  }

  public static Capabilities none() {
    return new Capabilities(List.of(), List.of(), List.of(), List.of());
  }

  public boolean isEmpty() {
    return read.isEmpty() && write.isEmpty() && execute.isEmpty() && forbidden.isEmpty();
  }

  /** Throws {@code UsageException} naming the list and pattern when a pattern is malformed. */
  public static void validatePattern(String list, String pattern) {
    String problem = patternProblem(pattern);
    if (problem != null) {
      throw new UsageException(
          "capabilities." + list + " pattern " + Messages.quote(pattern) + ": " + problem);
    }
  }

  private static List<String> checked(String name, List<String> patterns) {
    if (patterns == null) {
      return List.of();
    }
    if (patterns.size() > MAX_PATTERNS) {
      throw new UsageException(
          "capabilities."
              + name
              + " has "
              + patterns.size()
              + " patterns (at most "
              + MAX_PATTERNS
              + ")");
    }
    for (String pattern : patterns) {
      validatePattern(name, pattern);
    }
    return List.copyOf(patterns);
  }

  static String patternProblem(String pattern) {
    String problem = PathRules.relativePathProblem(pattern);
    if (problem != null) {
      return problem;
    }
    for (String segment : pattern.split("/", -1)) {
      if (segment.contains("**") && !segment.equals("**")) {
        return "'**' must be a whole segment";
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        // Only '*' and '**' are wildcards; refusing the other glob syntax keeps every matcher
        // implementation (ours, java.nio's glob) reading a pattern the same way.
        if ("?[]{}".indexOf(c) >= 0) {
          return "'" + c + "' is not allowed (only '*' and '**' are wildcards)";
        }
      }
    }
    return null;
  }
}

package dev.agentpkg.integrity.manifest;

import dev.agentpkg.core.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A dependency range such as {@code >=0.1.0 <1.0.0}: space-separated comparators that must all
 * hold. A bare version means exactly that version. Matching is plain semver precedence: a
 * pre-release that falls inside the bounds matches.
 */
public record VersionRange(List<Comparator> comparators) {
  static final int MAX_LENGTH = 1024;
  static final int MAX_COMPARATORS = 16;
  private static final List<String> OPS = List.of(">=", "<=", ">", "<", "=");

  /** One comparator; {@code op} is one of {@code >=, >, <=, <, =}. */
  public record Comparator(String op, SemVer version) {
    public Comparator {
      if (!OPS.contains(op)) {
        throw new UsageException(
            "invalid range operator " + Messages.quote(op) + " (expected >=, >, <=, < or =)");
      }
      Objects.requireNonNull(version, "version");
    }

    public boolean test(SemVer v) {
      int c = v.compareTo(version);
      return switch (op) {
        case ">=" -> c >= 0;
        case ">" -> c > 0;
        case "<=" -> c <= 0;
        case "<" -> c < 0;
        default -> c == 0;
      };
    }

    /** The normal form: "=" is written as a bare version. */
    @Override
    public String toString() {
      return (op.equals("=") ? "" : op) + version;
    }
  }

  public VersionRange {
    comparators = List.copyOf(Objects.requireNonNull(comparators, "comparators"));
    if (comparators.isEmpty()) {
      throw new UsageException("invalid version range: no comparators");
    }
    if (comparators.size() > MAX_COMPARATORS) {
      throw new UsageException(
          "invalid version range: more than " + MAX_COMPARATORS + " comparators");
    }
  }

  /** The range holding exactly {@code v}. */
  public static VersionRange exactly(SemVer v) {
    return new VersionRange(List.of(new Comparator("=", v)));
  }

  public static VersionRange parse(String s) {
    if (s == null || s.isBlank()) {
      throw new UsageException("invalid version range " + Messages.quote(s) + ": empty");
    }
    if (s.length() > MAX_LENGTH) {
      throw new UsageException(
          "invalid version range "
              + Messages.quote(s)
              + ": longer than "
              + MAX_LENGTH
              + " characters");
    }
    List<Comparator> result = new ArrayList<>();
    for (String token : s.trim().split(" +")) {
      if (token.equals("||") || token.contains("||")) {
        throw invalid(s, "'||' (alternatives) is not supported; all comparators must hold");
      }
      String op = "=";
      for (String candidate : OPS) {
        if (token.startsWith(candidate)) {
          op = candidate;
          token = token.substring(candidate.length());
          break;
        }
      }
      if (token.isEmpty()) {
        throw invalid(s, "operator '" + op + "' lacks a version");
      }
      char first = token.charAt(0);
      if (first < '0' || first > '9') {
        throw invalid(
            s,
            "comparator "
                + Messages.quote(token)
                + " must be an operator (>=, >, <=, <, =) and a version");
      }
      try {
        result.add(new Comparator(op, SemVer.parse(token)));
      } catch (UsageException e) {
        throw invalid(s, e.getMessage());
      }
    }
    if (result.size() > MAX_COMPARATORS) {
      throw invalid(s, "more than " + MAX_COMPARATORS + " comparators");
    }
    return new VersionRange(result);
  }

  public boolean contains(SemVer v) {
    for (Comparator c : comparators) {
      if (!c.test(v)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return comparators.stream().map(Comparator::toString).collect(Collectors.joining(" "));
  }

  private static UsageException invalid(String s, String why) {
    return new UsageException("invalid version range " + Messages.quote(s) + ": " + why);
  }
}

package dev.agentpkg.runtime.capability;

import java.util.List;
import java.util.Locale;

/**
 * One capability pattern, matched segment by segment: {@code *} is any run of characters inside a
 * segment, a whole-segment {@code **} is zero or more segments. Written by hand rather than
 * translated to a regex or a java.nio glob so no other syntax can sneak in and the cost stays
 * bounded (a table of pattern segments times path segments).
 */
final class Glob {
  private static final String ANY_SEGMENTS = "**";

  private final String text;
  private final String[] segments;
  private final boolean ignoreCase;

  private Glob(String text, boolean ignoreCase) {
    this.text = text;
    this.ignoreCase = ignoreCase;
    this.segments = fold(text, ignoreCase).split("/", -1);
  }

  /** Matches exactly as written. */
  static Glob exact(String pattern) {
    return new Glob(pattern, false);
  }

  /** Matches regardless of case, for rules where matching too much is the safe side. */
  static Glob ignoringCase(String pattern) {
    return new Glob(pattern, true);
  }

  String text() {
    return text;
  }

  /** Whether the pattern matches the path given as its segments ({@code []} is the root). */
  boolean matches(List<String> path) {
    boolean[][] reach = reach(path);
    return reach[segments.length][path.size()];
  }

  /** Whether the pattern could match some path strictly below the directory {@code dir}. */
  boolean couldMatchBelow(List<String> dir) {
    boolean[][] reach = reach(dir);
    int n = dir.size();
    for (int p = 0; p < segments.length; p++) {
      if (reach[p][n]) {
        // Any non-empty rest of a pattern matches some non-empty sequence of segments.
        return true;
      }
    }
    return segments.length > 0
        && segments[segments.length - 1].equals(ANY_SEGMENTS)
        && reach[segments.length][n];
  }

  /** {@code reach[p][s]}: the first p pattern segments match the first s path segments. */
  private boolean[][] reach(List<String> path) {
    int n = path.size();
    boolean[][] reach = new boolean[segments.length + 1][n + 1];
    reach[0][0] = true;
    for (int p = 1; p <= segments.length; p++) {
      String pattern = segments[p - 1];
      boolean any = pattern.equals(ANY_SEGMENTS);
      for (int s = 0; s <= n; s++) {
        if (any) {
          reach[p][s] = reach[p - 1][s] || (s > 0 && reach[p][s - 1]);
        } else {
          reach[p][s] =
              s > 0 && reach[p - 1][s - 1] && segmentMatches(pattern, fold(path.get(s - 1)));
        }
      }
    }
    return reach;
  }

  private String fold(String value) {
    return fold(value, ignoreCase);
  }

  private static String fold(String value, boolean ignoreCase) {
    return ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
  }

  /** Wildcard match of one segment with {@code *} only; greedy with a single backtrack point. */
  static boolean segmentMatches(String pattern, String name) {
    int p = 0;
    int n = 0;
    int star = -1;
    int starName = 0;
    while (n < name.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        starName = n;
      } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
        p++;
        n++;
      } else if (star >= 0) {
        p = star + 1;
        n = ++starName;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public String toString() {
    return text;
  }
}

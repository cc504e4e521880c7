package dev.agentpkg.runtime.capability;

import java.util.List;

/**
 * A capability pattern matched segment by segment: {@code *} matches any run of characters within
 * one segment, a {@code **} segment matches zero or more whole segments. No regular expression is
 * built from user text, and matching is linear in practice (memoised over segment positions).
 */
final class Glob {
  private final String pattern;
  private final String[] segments;

  Glob(String pattern) {
    this.pattern = pattern;
    this.segments = pattern.split("/", -1);
  }

  String pattern() {
    return pattern;
  }

  boolean matches(List<String> path) {
    return match(0, path, 0, new Boolean[segments.length + 1][path.size() + 1]);
  }

  /** True when some path below {@code dir} (or dir itself) could match: for listing. */
  boolean couldMatchBelow(List<String> dir) {
    return prefix(0, dir, 0);
  }

  private boolean match(int p, List<String> path, int s, Boolean[][] memo) {
    if (memo[p][s] != null) {
      return memo[p][s];
    }
    boolean result;
    if (p == segments.length) {
      result = s == path.size();
    } else if (segments[p].equals("**")) {
      result = match(p + 1, path, s, memo) || (s < path.size() && match(p, path, s + 1, memo));
    } else {
      result =
          s < path.size()
              && segmentMatches(segments[p], path.get(s))
              && match(p + 1, path, s + 1, memo);
    }
    memo[p][s] = result;
    return result;
  }

  private boolean prefix(int p, List<String> dir, int s) {
    if (s == dir.size()) {
      return p < segments.length || dir.isEmpty();
    }
    if (p == segments.length) {
      return false;
    }
    if (segments[p].equals("**")) {
      return true;
    }
    return segmentMatches(segments[p], dir.get(s)) && prefix(p + 1, dir, s + 1);
  }

  /** {@code *} wildcards within one segment, greedy with backtracking over the last star. */
  static boolean segmentMatches(String glob, String text) {
    int g = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        mark = t;
      } else if (g < glob.length() && glob.charAt(g) == text.charAt(t)) {
        g++;
        t++;
      } else if (star >= 0) {
        g = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }
}

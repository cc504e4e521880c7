package dev.agentpkg.integrity.manifest;

import dev.agentpkg.core.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A semantic version (semver.org 2.0.0). {@code build} is "" when absent. {@link #compareTo} is
 * semver precedence, which ignores build metadata, so it is inconsistent with {@code equals} for
 * versions that differ only in build metadata.
 */
public record SemVer(int major, int minor, int patch, List<String> preRelease, String build)
    implements Comparable<SemVer> {
  static final int MAX_LENGTH = 256;

  public SemVer {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new UsageException(
          "invalid version: negative number in " + major + "." + minor + "." + patch);
    }
    preRelease = List.copyOf(Objects.requireNonNull(preRelease, "preRelease"));
    for (String id : preRelease) {
      String problem = identifierProblem(id, true);
      if (problem != null) {
        throw new UsageException(
            "invalid pre-release identifier " + Messages.quote(id) + ": " + problem);
      }
    }
    build = build == null ? "" : build;
    if (!build.isEmpty()) {
      for (String id : build.split("\\.", -1)) {
        String problem = identifierProblem(id, false);
        if (problem != null) {
          throw new UsageException(
              "invalid build metadata " + Messages.quote(build) + ": " + problem);
        }
      }
    }
  }

  public static SemVer of(int major, int minor, int patch) {
    return new SemVer(major, minor, patch, List.of(), "");
  }

  public static SemVer parse(String s) {
    if (s == null || s.isEmpty()) {
      throw new UsageException("invalid version '': empty");
    }
    if (s.length() > MAX_LENGTH) {
      throw new UsageException(
          "invalid version " + Messages.quote(s) + ": longer than " + MAX_LENGTH + " characters");
    }
    String rest = s;
    String build = "";
    int plus = rest.indexOf('+');
    if (plus >= 0) {
      build = rest.substring(plus + 1);
      rest = rest.substring(0, plus);
      if (build.isEmpty()) {
        throw invalid(s, "empty build metadata after '+'");
      }
    }
    List<String> pre = List.of();
    int dash = rest.indexOf('-');
    if (dash >= 0) {
      String preText = rest.substring(dash + 1);
      rest = rest.substring(0, dash);
      if (preText.isEmpty()) {
        throw invalid(s, "empty pre-release after '-'");
      }
      pre = new ArrayList<>();
      for (String id : preText.split("\\.", -1)) {
        String problem = identifierProblem(id, true);
        if (problem != null) {
          throw invalid(s, "pre-release identifier " + Messages.quote(id) + " " + problem);
        }
        pre.add(id);
      }
    }
    if (!build.isEmpty()) {
      for (String id : build.split("\\.", -1)) {
        String problem = identifierProblem(id, false);
        if (problem != null) {
          throw invalid(s, "build identifier " + Messages.quote(id) + " " + problem);
        }
      }
    }
    String[] core = rest.split("\\.", -1);
    if (core.length != 3) {
      throw invalid(s, "expected MAJOR.MINOR.PATCH");
    }
    int major = number(s, "major", core[0]);
    int minor = number(s, "minor", core[1]);
    int patch = number(s, "patch", core[2]);
    return new SemVer(major, minor, patch, pre, build);
  }

  public boolean isPreRelease() {
    return !preRelease.isEmpty();
  }

  @Override
  public int compareTo(SemVer o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Integer.compare(patch, o.patch);
    }
    if (c != 0) {
      return c;
    }
    // A version without pre-release ranks above any pre-release of the same core.
    if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
      return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
    }
    int n = Math.min(preRelease.size(), o.preRelease.size());
    for (int i = 0; i < n; i++) {
      c = compareIdentifiers(preRelease.get(i), o.preRelease.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(preRelease.size(), o.preRelease.size());
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
    if (!preRelease.isEmpty()) {
      sb.append('-').append(String.join(".", preRelease));
    }
    if (!build.isEmpty()) {
      sb.append('+').append(build);
    }
    return sb.toString();
  }

  private static int compareIdentifiers(String a, String b) {
    boolean an = isNumeric(a);
    boolean bn = isNumeric(b);
    if (an && bn) {
      // No leading zeros, so a longer number is larger; this also works beyond long's range.
      int c = Integer.compare(a.length(), b.length());
      return c != 0 ? c : a.compareTo(b);
    }
    if (an != bn) {
      return an ? -1 : 1;
    }
    return a.compareTo(b); // identifiers are ASCII, so this is ASCII order
  }

  private static int number(String whole, String part, String text) {
    if (text.isEmpty() || !isNumeric(text)) {
      throw invalid(whole, part + " " + Messages.quote(text) + " is not a number");
    }
    if (text.length() > 1 && text.charAt(0) == '0') {
      throw invalid(whole, part + " " + Messages.quote(text) + " has a leading zero");
    }
    if (text.length() > 9) {
      long value = text.length() > 10 ? Long.MAX_VALUE : Long.parseLong(text);
      if (value > Integer.MAX_VALUE) {
        throw invalid(whole, part + " " + Messages.quote(text) + " is too large");
      }
    }
    return Integer.parseInt(text);
  }

  private static String identifierProblem(String id, boolean preRelease) {
    if (id == null || id.isEmpty()) {
      return "is empty";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9')
          || (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || c == '-')) {
        return "may contain only [0-9A-Za-z-]";
      }
    }
    if (preRelease && id.length() > 1 && id.charAt(0) == '0' && isNumeric(id)) {
      return "is numeric with a leading zero";
    }
    return null;
  }

  private static boolean isNumeric(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static UsageException invalid(String s, String why) {
    return new UsageException("invalid version " + Messages.quote(s) + ": " + why);
  }
}

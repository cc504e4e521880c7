package dev.agentpkg.runtime.scan;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of a {@link ScanPolicy}: references to classes matching {@code classes} (and, when
 * {@code member} is set, to their members matching it) are allowed or denied with a category.
 *
 * <p>{@code classes} is an internal-name glob: {@code *} matches within a package segment (so it
 * covers nested {@code $} classes), {@code **} across segments. {@code member}: {@code null} covers
 * the type itself and all its members; {@code "*"} every member but not the bare type; {@code
 * "name"} members of that name; {@code "prefix*"} members whose name starts with prefix; {@code
 * "name(desc"} methods whose name and descriptor start with it.
 *
 * @param verdict {@code allow} or a {@link Violation#CATEGORIES category} to deny with
 */
record PolicyRule(String verdict, String classes, String member) {
  static final String ALLOW = "allow";

  PolicyRule {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(classes, "classes");
    if (!verdict.equals(ALLOW) && !Violation.CATEGORIES.contains(verdict)) {
      throw new IllegalArgumentException("unknown rule verdict: " + verdict);
    }
    if (classes.isEmpty() || classes.contains(".") || classes.contains(" ")) {
      throw new IllegalArgumentException("rule classes must be an internal-name glob: " + classes);
    }
    if (member != null && (member.isEmpty() || member.contains(" "))) {
      throw new IllegalArgumentException("bad rule member: " + member);
    }
  }

  static PolicyRule allow(String classes) {
    return new PolicyRule(ALLOW, classes, null);
  }

  static PolicyRule allow(String classes, String member) {
    return new PolicyRule(ALLOW, classes, member);
  }

  static PolicyRule deny(String category, String classes) {
    return new PolicyRule(category, classes, null);
  }

  static PolicyRule deny(String category, String classes, String member) {
    return new PolicyRule(category, classes, member);
  }

  /** The canonical one-line rendering hashed into {@link ScanPolicy#sha256()}. */
  String render() {
    String target = member == null ? classes : classes + "#" + member;
    return (verdict.equals(ALLOW) ? "allow" : "deny:" + verdict) + " " + target;
  }

  Pattern classPattern() {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < classes.length(); i++) {
      char c = classes.charAt(i);
      if (c == '*') {
        if (i + 1 < classes.length() && classes.charAt(i + 1) == '*') {
          regex.append(".*");
          i++;
        } else {
          regex.append("[^/]*");
        }
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  /**
   * @param name the member's name, or {@code null} for a reference to the type itself
   * @param descriptor the member's descriptor ({@code ""} when unknown)
   */
  boolean matchesMember(String name, String descriptor) {
    if (member == null) {
      return true;
    }
    if (name == null) {
      return false;
    }
    if (member.equals("*")) {
      return true;
    }
    if (member.contains("(")) {
      return (name + descriptor).startsWith(member);
    }
    if (member.endsWith("*")) {
      return name.startsWith(member.substring(0, member.length() - 1));
    }
    return name.equals(member);
  }
}

package dev.agentpkg.integrity.manifest;

import dev.agentpkg.core.UsageException;

/**
 * A package id such as {@code PKG-T1-RUNTIME-001}; the tier is part of the id. The grammar is
 * {@code ^PKG-(G0|T0|T1|T2|T3)-[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{3}$}, at most 128 characters. It is
 * checked by hand, and equality is written out, because a 1,000-package registry and its ownership
 * shards make tens of thousands of ids per command: a regex match each, and the record's
 * indy-bootstrapped equals/hashCode, cost more in a short-lived JVM than the work around them.
 */
public record PackageId(String value) implements Comparable<PackageId> {
  public PackageId {
    if (!isValid(value)) {
      throw new UsageException(
          "invalid package id '"
              + value
              + "' (expected PKG-<G0|T0|T1|T2|T3>-<NAME>-<NNN>, e.g. PKG-T1-RUNTIME-001)");
    }
  }

  public static PackageId of(String value) {
    return new PackageId(value);
  }

  public static boolean isValid(String value) {
    // PKG-Tn- + a name of at least one char + -NNN
    if (value == null || value.length() > 128 || value.length() < 12) {
      return false;
    }
    if (!value.startsWith("PKG-")
        || value.charAt(6) != '-'
        || !isTier(value.charAt(4), value.charAt(5))) {
      return false;
    }
    int suffix = value.length() - 4;
    if (value.charAt(suffix) != '-') {
      return false;
    }
    for (int i = suffix + 1; i < value.length(); i++) {
      if (!isDigit(value.charAt(i))) {
        return false;
      }
    }
    // the name: [A-Z0-9]+(-[A-Z0-9]+)*, so '-' only between two name chars
    for (int i = 7; i < suffix; i++) {
      char c = value.charAt(i);
      if (c == '-') {
        if (i == 7 || i == suffix - 1 || value.charAt(i - 1) == '-') {
          return false;
        }
      } else if (!isDigit(c) && (c < 'A' || c > 'Z')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isTier(char letter, char digit) {
    return letter == 'G' ? digit == '0' : letter == 'T' && digit >= '0' && digit <= '3';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  public Tier tier() {
    return Tier.valueOf(value.substring(4, 6));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackageId other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(PackageId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}

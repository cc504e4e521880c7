package dev.agentpkg.integrity.manifest;

import dev.agentpkg.core.UsageException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A package id such as {@code PKG-T1-RUNTIME-001}; the tier is part of the id. */
public record PackageId(String value) implements Comparable<PackageId> {
  private static final Pattern ID =
      Pattern.compile("^PKG-(G0|T0|T1|T2|T3)-[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{3}$");

  public PackageId {
    if (value == null || value.length() > 128 || !ID.matcher(value).matches()) {
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
    return value != null && value.length() <= 128 && ID.matcher(value).matches();
  }

  public Tier tier() {
    Matcher m = ID.matcher(value);
    if (!m.matches()) {
      throw new IllegalStateException(value);
    }
    return Tier.valueOf(m.group(1));
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

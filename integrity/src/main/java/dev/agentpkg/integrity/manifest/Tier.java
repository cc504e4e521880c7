package dev.agentpkg.integrity.manifest;

import dev.agentpkg.core.UsageException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Trust tiers, most trusted first. A package may depend only on its own tier or a more trusted one.
 */
public enum Tier {
  G0,
  T0,
  T1,
  T2,
  T3;

  public static Tier parse(String text) {
    try {
      return Tier.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("unknown tier '" + text + "' (expected one of G0, T0, T1, T2, T3)");
    }
  }

  /** Parses a comma-separated list such as {@code G0,T0,T1}. */
  public static Set<Tier> parseList(String text) {
    Set<Tier> tiers = EnumSet.noneOf(Tier.class);
    for (String part : text.split(",", -1)) {
      if (part.isBlank()) {
        throw new UsageException("empty tier in list '" + text + "'");
      }
      tiers.add(parse(part));
    }
    return tiers;
  }

  /** True when a package of this tier may depend on one of {@code other}'s tier. */
  public boolean mayDependOn(Tier other) {
    return this != G0 && other.ordinal() <= ordinal();
  }

  /** G0 and T0 are the trust base: only an admin may install or remove them. */
  public boolean isTrustBase() {
    return this == G0 || this == T0;
  }
}

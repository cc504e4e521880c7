package dev.agentpkg.registry;

import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.manifest.Tier;
import java.util.Locale;

/** Token roles, from least to most power (SPEC 2.5). */
public enum Role {
  OPERATOR,
  MAINTAINER,
  ADMIN;

  /** Case-insensitive. */
  public static Role parse(String s) {
    if (s != null) {
      for (Role r : values()) {
        if (r.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
          return r;
        }
      }
    }
    throw new UsageException("unknown role '" + s + "' (expected operator, maintainer or admin)");
  }

  /** True when a holder of this role may do what {@code required} may do. */
  public boolean covers(Role required) {
    return ordinal() >= required.ordinal();
  }

  /** G0 and T0 are the trust base, so only an admin may install or remove them. */
  public static Role requiredToManage(Tier tier) {
    return tier.isTrustBase() ? ADMIN : MAINTAINER;
  }

  /** The lowercase name used in CSV files, the ledger and messages. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.agentpkg.registry;

import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.Tier;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A row of {@code trusted_keys.csv}: a public key allowed to sign packages of some tiers.
 *
 * @param keyId lowercase hex SHA-256 of the raw 32-byte Ed25519 public key
 * @param addedBy token id of the admin who trusted it
 * @param revokedAt null while the key is trusted
 * @param revokedBy token id of the admin who revoked it; null while not revoked
 */
public record TrustedKey(
    String keyId,
    String owner,
    Set<Tier> tiers,
    String publicKeyPem,
    Instant addedAt,
    String addedBy,
    Instant revokedAt,
    String revokedBy) {
  public TrustedKey {
    if (!Sha256.isHex(keyId)) {
      throw new IllegalArgumentException("key id must be 64 lowercase hex characters: " + keyId);
    }
    Objects.requireNonNull(owner, "owner");
    if (tiers == null || tiers.isEmpty()) {
      throw new IllegalArgumentException("a trusted key needs at least one tier");
    }
    tiers = Collections.unmodifiableSet(EnumSet.copyOf(tiers));
    Objects.requireNonNull(publicKeyPem, "publicKeyPem");
    Objects.requireNonNull(addedAt, "addedAt");
    Objects.requireNonNull(addedBy, "addedBy");
    if ((revokedAt == null) != (revokedBy == null)) {
      throw new IllegalArgumentException("revokedAt and revokedBy go together");
    }
  }

  public boolean isActive() {
    return revokedAt == null;
  }

  /** True when the key is trusted now and allowed to sign packages of {@code tier}. */
  public boolean mayServe(Tier tier) {
    return isActive() && tiers.contains(tier);
  }

  /** The tiers as stored and shown, e.g. {@code G0,T0,T1}. */
  public String tiersText() {
    return String.join(",", tiers.stream().map(Tier::name).toList());
  }
}

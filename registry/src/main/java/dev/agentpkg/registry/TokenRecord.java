package dev.agentpkg.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A row of {@code tokens.csv}.
 *
 * @param expiresAt null when the token does not expire
 * @param revokedAt null while not revoked
 * @param secretSha256 lowercase hex SHA-256 of the secret part of the token text
 */
public record TokenRecord(
    String tokenId,
    Role role,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    String note,
    String secretSha256) {
  public TokenRecord {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(createdAt, "createdAt");
    note = note == null ? "" : note;
    Objects.requireNonNull(secretSha256, "secretSha256");
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }

  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** Neither revoked nor expired at {@code now}. */
  public boolean isActiveAt(Instant now) {
    return !isRevoked() && !isExpiredAt(now);
  }

  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  public Actor actor() {
    return new Actor(tokenId, role);
  }
}

package dev.agentpkg.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A freshly created token; {@link #secretText()} is shown to the user once and stored nowhere.
 *
 * @param expiresAt null when the token does not expire
 */
public record IssuedToken(String tokenId, Role role, String secretText, Instant expiresAt) {
  public IssuedToken {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(secretText, "secretText");
  }

  public Actor actor() {
    return new Actor(tokenId, role);
  }

  /** Leaves the secret out, so logging the record cannot leak it. */
  @Override
  public String toString() {
    return "IssuedToken[tokenId="
        + tokenId
        + ", role="
        + role.label()
        + ", expiresAt="
        + expiresAt
        + ", secretText=<hidden>]";
  }
}

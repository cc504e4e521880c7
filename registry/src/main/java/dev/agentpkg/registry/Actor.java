package dev.agentpkg.registry;

import java.util.Objects;

/** Who did something: the token id and its role, never the secret. */
public record Actor(String tokenId, Role role) {
  public Actor {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(role, "role");
  }
}

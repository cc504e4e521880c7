package dev.agentpkg.registry.governance;

import dev.agentpkg.core.DeniedException;
import dev.agentpkg.integrity.crypto.Ed25519PublicKey;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.registry.TrustStore;
import dev.agentpkg.registry.TrustedKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides whether the keys whose signatures verified may vouch for a package of a tier: a key must
 * be in the trust store, not revoked, and allowed that tier. One place, so {@code verify} and
 * {@code install} can never disagree.
 */
public final class TrustPolicy {
  public static final String TRUSTED = "trusted";
  public static final String REVOKED = "revoked";
  public static final String NOT_FOR_TIER = "not-trusted-for-tier";
  public static final String UNTRUSTED = "untrusted";

  /** How one verified signer stands in this root. */
  public record SignerVerdict(String keyId, Optional<TrustedKey> key, String status) {
    public boolean trusted() {
      return status.equals(TRUSTED);
    }

    public String explain(Tier tier) {
      String who = keyId + key.map(k -> " (" + k.owner() + ")").orElse("");
      return switch (status) {
        case TRUSTED -> "signer key " + who + " is trusted for tier " + tier;
        case REVOKED -> "signer key " + who + " was revoked at " + key.get().revokedAt();
        case NOT_FOR_TIER -> "signer key " + who + " is not trusted for tier " + tier;
        default -> "signer key " + who + " is not in this root's trust store";
      };
    }
  }

  private final Map<String, TrustedKey> keys = new HashMap<>();
  private final Map<String, Ed25519PublicKey> publicKeys = new HashMap<>();

  public TrustPolicy(TrustStore store) {
    for (TrustedKey k : store.list()) {
      keys.put(k.keyId(), k);
      publicKeys.put(k.keyId(), Ed25519PublicKey.fromPem(k.publicKeyPem()));
    }
  }

  /** Every key the store knows, revoked ones included, so a revoked signer is named as such. */
  public Function<String, Optional<Ed25519PublicKey>> knownKeys() {
    return id -> Optional.ofNullable(publicKeys.get(id));
  }

  public List<SignerVerdict> judge(List<String> verifiedKeyIds, Tier tier) {
    List<SignerVerdict> verdicts = new ArrayList<>();
    for (String id : verifiedKeyIds) {
      TrustedKey k = keys.get(id);
      String status =
          k == null
              ? UNTRUSTED
              : !k.isActive() ? REVOKED : !k.mayServe(tier) ? NOT_FOR_TIER : TRUSTED;
      verdicts.add(new SignerVerdict(id, Optional.ofNullable(k), status));
    }
    return verdicts;
  }

  /** The first trusted signer, or a denial that says why the best candidate was not enough. */
  public SignerVerdict requireTrusted(String archiveName, List<String> verifiedKeyIds, Tier tier) {
    List<SignerVerdict> verdicts = judge(verifiedKeyIds, tier);
    return verdicts.stream()
        .filter(SignerVerdict::trusted)
        .findFirst()
        .orElseThrow(
            () ->
                new DeniedException(
                    archiveName
                        + ": "
                        + (verdicts.isEmpty()
                            ? "no verified signature"
                            : verdicts.get(0).explain(tier))));
  }
}

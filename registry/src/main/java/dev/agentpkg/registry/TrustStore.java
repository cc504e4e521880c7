package dev.agentpkg.registry;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.DeniedException;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.Tier;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code registries/trusted_keys.csv}: the public keys allowed to sign, and for which tiers.
 * Revocation is final: the row stays (so old signatures can be explained) and the same key can
 * never be trusted again. Callers hold the root lock and write the ledger events.
 */
public final class TrustStore {
  static final List<String> COLUMNS = RegistryColumns.TRUSTED_KEYS;
  private static final Pattern HEX_PREFIX = Pattern.compile("^[0-9a-f]{8,64}$");

  private final CsvTable table;
  private final Clock clock;

  public TrustStore(Root root, Clock clock) {
    this.table = new CsvTable(root.trustedKeys(), COLUMNS);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public TrustedKey trust(
      String keyId, String publicKeyPem, Set<Tier> tiers, String owner, Actor by) {
    requireAdmin(by, "keys trust");
    String id = keyId == null ? "" : keyId.trim().toLowerCase(Locale.ROOT);
    if (!Sha256.isHex(id)) {
      throw new UsageException("invalid key id '" + keyId + "' (expected 64 hex characters)");
    }
    if (publicKeyPem == null
        || !publicKeyPem.contains("-----BEGIN PUBLIC KEY-----")
        || !publicKeyPem.contains("-----END PUBLIC KEY-----")) {
      throw new UsageException("public key for " + id + " is not a PEM public key");
    }
    if (tiers == null || tiers.isEmpty()) {
      throw new UsageException("a trusted key needs at least one tier (--tiers G0,T0,T1,T2,T3)");
    }
    if (owner == null || owner.isBlank()) {
      throw new UsageException("a trusted key needs an owner (--owner NAME)");
    }
    List<TrustedKey> keys = list();
    Optional<TrustedKey> existing = find(keys, id);
    if (existing.isPresent()) {
      TrustedKey k = existing.get();
      if (k.isActive()) {
        throw new ConflictException(
            "key "
                + id
                + " is already trusted (owner "
                + k.owner()
                + ", tiers "
                + k.tiersText()
                + ")");
      }
      throw new ConflictException(
          "key "
              + id
              + " was revoked at "
              + k.revokedAt()
              + "; revocation is final, generate a new key");
    }
    TrustedKey key =
        new TrustedKey(
            id,
            owner.trim(),
            tiers,
            publicKeyPem,
            clock.instant().truncatedTo(ChronoUnit.SECONDS),
            by.tokenId(),
            null,
            null);
    keys.add(key);
    save(keys);
    return key;
  }

  /** Revokes by full key id or by a unique prefix of at least 8 hex characters. */
  public TrustedKey revoke(String keyIdOrUniquePrefix, Actor by) {
    requireAdmin(by, "keys revoke");
    List<TrustedKey> keys = list();
    TrustedKey key = resolve(keys, keyIdOrUniquePrefix);
    if (!key.isActive()) {
      throw new ConflictException(
          "key " + key.keyId() + " was already revoked at " + key.revokedAt());
    }
    TrustedKey revoked =
        new TrustedKey(
            key.keyId(),
            key.owner(),
            key.tiers(),
            key.publicKeyPem(),
            key.addedAt(),
            key.addedBy(),
            clock.instant().truncatedTo(ChronoUnit.SECONDS),
            by.tokenId());
    keys.replaceAll(k -> k.keyId().equals(key.keyId()) ? revoked : k);
    save(keys);
    return revoked;
  }

  /** The key with exactly this id, revoked or not. */
  public Optional<TrustedKey> find(String keyId) {
    return find(list(), keyId == null ? "" : keyId.toLowerCase(Locale.ROOT));
  }

  public List<TrustedKey> list() {
    List<TrustedKey> out = new ArrayList<>();
    for (CsvTable.Row row : table.readRows()) {
      String id = row.get("key_id");
      if (!Sha256.isHex(id)) {
        throw table.invalid(row, "key_id '" + id + "' is not 64 lowercase hex characters");
      }
      if (find(out, id).isPresent()) {
        throw table.invalid(row, "duplicate key_id " + id);
      }
      Set<Tier> tiers;
      try {
        tiers = Tier.parseList(row.get("tiers"));
      } catch (UsageException e) {
        throw table.invalid(row, "tiers: " + e.getMessage());
      }
      Instant revokedAt = Cells.optionalInstant(table, row, "revoked_at");
      String revokedBy = row.get("revoked_by");
      if ((revokedAt == null) != revokedBy.isEmpty()) {
        throw table.invalid(row, "revoked_at and revoked_by must both be set or both be empty");
      }
      out.add(
          new TrustedKey(
              id,
              Cells.nonEmpty(table, row, "owner"),
              tiers,
              Cells.nonEmpty(table, row, "public_key_pem"),
              Cells.instant(table, row, "added_at"),
              Cells.nonEmpty(table, row, "added_by"),
              revokedAt,
              revokedAt == null ? null : revokedBy));
    }
    return out;
  }

  private static TrustedKey resolve(List<TrustedKey> keys, String given) {
    String q = given == null ? "" : given.trim().toLowerCase(Locale.ROOT);
    Optional<TrustedKey> exact = find(keys, q);
    if (exact.isPresent()) {
      return exact.get();
    }
    if (!HEX_PREFIX.matcher(q).matches()) {
      if (q.matches("^[0-9a-f]{1,7}$")) {
        throw new UsageException(
            "key id prefix '" + given + "' is too short (give at least 8 hex characters)");
      }
      throw new NotFoundException("no trusted key " + given);
    }
    List<TrustedKey> matches = keys.stream().filter(k -> k.keyId().startsWith(q)).toList();
    if (matches.isEmpty()) {
      throw new NotFoundException("no trusted key " + given);
    }
    if (matches.size() > 1) {
      throw new UsageException(
          "key id prefix '"
              + given
              + "' is ambiguous: "
              + String.join(", ", matches.stream().map(TrustedKey::keyId).toList()));
    }
    return matches.get(0);
  }

  private static Optional<TrustedKey> find(List<TrustedKey> keys, String id) {
    return keys.stream().filter(k -> k.keyId().equals(id)).findFirst();
  }

  /** Callers authenticate first; this guards against a lesser actor slipping through anyway. */
  private static void requireAdmin(Actor by, String action) {
    Objects.requireNonNull(by, "by");
    if (!by.role().covers(Role.ADMIN)) {
      throw new DeniedException(
          "token "
              + by.tokenId()
              + " has role "
              + by.role().label()
              + "; "
              + action
              + " needs admin");
    }
  }

  private void save(List<TrustedKey> keys) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (TrustedKey k : keys) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("key_id", k.keyId());
      row.put("owner", k.owner());
      row.put("tiers", k.tiersText());
      row.put("public_key_pem", k.publicKeyPem());
      row.put("added_at", Cells.instantText(k.addedAt()));
      row.put("added_by", k.addedBy());
      row.put("revoked_at", Cells.instantText(k.revokedAt()));
      row.put("revoked_by", k.revokedBy() == null ? "" : k.revokedBy());
      rows.add(row);
    }
    table.write(rows);
  }
}

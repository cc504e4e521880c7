package dev.agentpkg.registry;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.DeniedException;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.digest.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code registries/tokens.csv}: token ids, roles, expiry, revocation and the SHA-256 of each
 * secret. The secret itself is returned once by {@link #create} and stored nowhere. Callers hold
 * the root lock around changes and write the ledger events.
 */
public final class TokenStore {
  static final List<String> COLUMNS = RegistryColumns.TOKENS;
  static final Pattern TOKEN_ID = Pattern.compile("^[0-9a-f]{12}$");
  // agp_<12 hex id>_<43 base64url chars = 32 bytes>
  private static final Pattern TOKEN_TEXT =
      Pattern.compile("^agp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$");
  private static final String NO_TOKEN =
      "no token given (use --token, --token-file or AGENTPKG_TOKEN)";

  private final CsvTable table;
  private final Clock clock;
  private final SecureRandom random;

  public TokenStore(Root root, Clock clock, SecureRandom random) {
    this.table = new CsvTable(root.tokens(), COLUMNS);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Issues a token; {@code validFor} empty means it never expires. */
  public IssuedToken create(Role role, Optional<Duration> validFor, String note) {
    Objects.requireNonNull(role, "role");
    if (validFor.isPresent() && (validFor.get().isZero() || validFor.get().isNegative())) {
      throw new UsageException("token validity must be positive, got " + validFor.get());
    }
    List<TokenRecord> records = list();
    String id;
    do {
      byte[] idBytes = new byte[6];
      random.nextBytes(idBytes);
      id = HexFormat.of().formatHex(idBytes);
    } while (find(records, id).isPresent());
    byte[] secretBytes = new byte[32];
    random.nextBytes(secretBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expires = validFor.map(now::plus).orElse(null);
    TokenRecord rec =
        new TokenRecord(id, role, now, expires, null, note == null ? "" : note, hashSecret(secret));
    records.add(rec);
    save(records);
    return new IssuedToken(id, role, "agp_" + id + "_" + secret, expires);
  }

  /**
   * Revokes a token. Refuses to revoke the last active admin token, which would leave the root with
   * nobody able to manage keys, tokens or recovery.
   */
  public TokenRecord revoke(String tokenId) {
    List<TokenRecord> records = list();
    TokenRecord rec =
        find(records, tokenId)
            .orElseThrow(() -> new NotFoundException("unknown token id " + tokenId));
    if (rec.isRevoked()) {
      throw new ConflictException(
          "token " + tokenId + " was already revoked at " + rec.revokedAt());
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (rec.role() == Role.ADMIN && rec.isActiveAt(now)) {
      long otherAdmins =
          records.stream()
              .filter(r -> r.role() == Role.ADMIN && r.isActiveAt(now))
              .filter(r -> !r.tokenId().equals(tokenId))
              .count();
      if (otherAdmins == 0) {
        throw new ConflictException(
            "token "
                + tokenId
                + " is the last active admin token; create another admin token before revoking it");
      }
    }
    TokenRecord revoked =
        new TokenRecord(
            rec.tokenId(),
            rec.role(),
            rec.createdAt(),
            rec.expiresAt(),
            now,
            rec.note(),
            rec.secretSha256());
    records.replaceAll(r -> r.tokenId().equals(tokenId) ? revoked : r);
    save(records);
    return revoked;
  }

  public List<TokenRecord> list() {
    List<TokenRecord> out = new ArrayList<>();
    for (CsvTable.Row row : table.readRows()) {
      String id = row.get("token_id");
      if (!TOKEN_ID.matcher(id).matches()) {
        throw table.invalid(row, "token_id '" + id + "' is not 12 lowercase hex characters");
      }
      if (find(out, id).isPresent()) {
        throw table.invalid(row, "duplicate token_id " + id);
      }
      Role role;
      try {
        role = Role.parse(row.get("role"));
      } catch (UsageException e) {
        throw table.invalid(row, "unknown role '" + row.get("role") + "'");
      }
      String hash = row.get("secret_sha256");
      if (!Sha256.isHex(hash)) {
        throw table.invalid(row, "secret_sha256 is not 64 lowercase hex characters");
      }
      out.add(
          new TokenRecord(
              id,
              role,
              Cells.instant(table, row, "created_at"),
              Cells.optionalInstant(table, row, "expires_at"),
              Cells.optionalInstant(table, row, "revoked_at"),
              row.get("note"),
              hash));
    }
    return out;
  }

  /**
   * Authenticates a token text for an action needing {@code required}; every denial says why.
   *
   * @param action what the caller is about to do, e.g. "install PKG-T0-BASE-001"
   */
  public Actor authenticate(Optional<String> tokenText, Role required, String action) {
    if (tokenText.isEmpty() || tokenText.get().isBlank()) {
      throw new DeniedException(NO_TOKEN);
    }
    Matcher m = TOKEN_TEXT.matcher(tokenText.get().trim());
    if (!m.matches()) {
      throw new DeniedException("malformed token");
    }
    String id = m.group(1);
    TokenRecord rec =
        find(list(), id).orElseThrow(() -> new DeniedException("unknown token id " + id));
    // Check the secret before revealing anything about the token's state.
    if (!secretMatches(m.group(2), rec.secretSha256())) {
      throw new DeniedException("wrong secret for token " + id);
    }
    Instant now = clock.instant();
    if (rec.isRevoked()) {
      throw new DeniedException("token " + id + " was revoked at " + rec.revokedAt());
    }
    if (rec.isExpiredAt(now)) {
      throw new DeniedException("token " + id + " expired at " + rec.expiresAt());
    }
    if (!rec.role().covers(required)) {
      throw new DeniedException(
          "token "
              + id
              + " has role "
              + rec.role().label()
              + "; "
              + action
              + " needs "
              + required.label());
    }
    return rec.actor();
  }

  /** Constant-time, so response timing does not reveal how much of a guessed secret was right. */
  static boolean secretMatches(String presentedSecret, String storedSha256Hex) {
    byte[] presented = hashSecret(presentedSecret).getBytes(StandardCharsets.US_ASCII);
    byte[] stored = storedSha256Hex.getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(presented, stored);
  }

  static String hashSecret(String secret) {
    return Sha256.hex(secret.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<TokenRecord> find(List<TokenRecord> records, String id) {
    return records.stream().filter(r -> r.tokenId().equals(id)).findFirst();
  }

  private void save(List<TokenRecord> records) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (TokenRecord r : records) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("token_id", r.tokenId());
      row.put("role", r.role().label());
      row.put("created_at", Cells.instantText(r.createdAt()));
      row.put("expires_at", Cells.instantText(r.expiresAt()));
      row.put("revoked_at", Cells.instantText(r.revokedAt()));
      row.put("note", r.note());
      row.put("secret_sha256", r.secretSha256());
      rows.add(row);
    }
    table.write(rows);
  }
}

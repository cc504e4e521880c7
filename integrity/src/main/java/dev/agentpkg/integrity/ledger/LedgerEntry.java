package dev.agentpkg.integrity.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.Instants;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One line of {@code ledger/governance.jsonl}. {@code hash} is {@code sha256:} + hex SHA-256 of the
 * canonical JSON of every other field, and {@code prev} is the previous entry's hash, so editing,
 * deleting or reordering any entry breaks the chain after it.
 */
public record LedgerEntry(
    long seq,
    String ts,
    String event,
    LedgerActor actor,
    LedgerPackage pkg,
    ObjectNode details,
    String prev,
    String hash) {
  public static final String GENESIS_PREV = "sha256:" + "0".repeat(64);
  static final Pattern HASH = Pattern.compile("^sha256:[0-9a-f]{64}$");
  private static final Pattern EVENT = Pattern.compile("^[A-Z][A-Z0-9_]{0,63}$");
  private static final Set<String> FIELDS =
      Set.of("seq", "ts", "event", "actor", "package", "details", "prev", "hash");
  private static final int MAX_TEXT = 1024;

  public LedgerEntry {
    if (seq < 1) {
      throw new UsageException("ledger entry seq must be at least 1, got " + seq);
    }
    parseTs(ts);
    if (event == null || !EVENT.matcher(event).matches()) {
      throw new UsageException(
          "ledger event must be upper-case like INSTALLED, got '" + event + "'");
    }
    Objects.requireNonNull(details, "details");
    details = details.deepCopy();
    try {
      CanonicalJson.bytes(details);
    } catch (IllegalArgumentException e) {
      throw new UsageException("ledger details: " + e.getMessage(), e);
    }
    requireHash(prev, "prev");
    requireHash(hash, "hash");
  }

  /**
   * Builds the entry that follows {@code previous} (the first entry when it is null). A {@code ts}
   * earlier than the previous entry's (the clock stepped back) is raised to it, since the chain
   * requires time never to go backwards.
   */
  public static LedgerEntry next(
      LedgerEntry previous,
      Instant ts,
      String event,
      LedgerActor actor,
      LedgerPackage pkg,
      ObjectNode details) {
    long seq = previous == null ? 1 : previous.seq + 1;
    String prev = previous == null ? GENESIS_PREV : previous.hash;
    Instant when = ts.truncatedTo(ChronoUnit.MILLIS);
    if (previous != null) {
      Instant before = previous.instant();
      if (when.isBefore(before)) {
        when = before;
      }
    }
    String tsText = Instants.format(when);
    ObjectNode d = details == null ? Json.object() : details;
    // Build once with a placeholder hash to validate the fields, then hash them.
    LedgerEntry draft = new LedgerEntry(seq, tsText, event, actor, pkg, d, prev, GENESIS_PREV);
    return new LedgerEntry(seq, tsText, event, actor, pkg, d, prev, draft.computeHash());
  }

  @Override
  public ObjectNode details() {
    return details.deepCopy();
  }

  /** The timestamp as an instant. */
  public Instant instant() {
    return parseTs(ts);
  }

  public LedgerHead head() {
    return new LedgerHead(seq, hash);
  }

  /** Recomputes the hash from the fields (everything but {@code hash}). */
  public String computeHash() {
    return "sha256:" + Sha256.hex(CanonicalJson.bytes(toJson(false)));
  }

  /** Canonical JSON including {@code hash}, without a newline. */
  public String toJsonLine() {
    return CanonicalJson.string(toJson(true));
  }

  private ObjectNode toJson(boolean withHash) {
    ObjectNode o = Json.object();
    o.put("seq", seq);
    o.put("ts", ts);
    o.put("event", event);
    if (actor == null) {
      o.putNull("actor");
    } else {
      ObjectNode a = o.putObject("actor");
      a.put("token_id", actor.tokenId());
      a.put("role", actor.role());
    }
    if (pkg == null) {
      o.putNull("package");
    } else {
      ObjectNode p = o.putObject("package");
      p.put("id", pkg.id());
      p.put("version", pkg.version());
    }
    o.set("details", details);
    o.put("prev", prev);
    if (withHash) {
      o.put("hash", hash);
    }
    return o;
  }

  /**
   * Parses one ledger line; any deviation from the entry shape is a {@link VerificationException}.
   */
  public static LedgerEntry parse(String line) {
    if (line == null || line.isBlank()) {
      throw new VerificationException("ledger entry is an empty line");
    }
    try {
      JsonNode n = Json.parse(line, "ledger entry");
      if (!n.isObject()) {
        throw new VerificationException("ledger entry is not a JSON object");
      }
      exactFields(n, FIELDS, "ledger entry");
      JsonNode seq = n.get("seq");
      if (!seq.isIntegralNumber() || !seq.canConvertToLong()) {
        throw new VerificationException("ledger entry field 'seq' must be an integer");
      }
      return new LedgerEntry(
          seq.longValue(),
          text(n, "ts"),
          text(n, "event"),
          actor(n.get("actor")),
          pkg(n.get("package")),
          object(n.get("details")),
          text(n, "prev"),
          text(n, "hash"));
    } catch (UsageException e) {
      throw new VerificationException(
          e.getMessage().startsWith("ledger") ? e.getMessage() : "ledger entry: " + e.getMessage(),
          e);
    }
  }

  private static LedgerActor actor(JsonNode n) {
    if (n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new VerificationException("ledger entry field 'actor' must be an object or null");
    }
    exactFields(n, Set.of("token_id", "role"), "ledger entry actor");
    return new LedgerActor(text(n, "token_id"), text(n, "role"));
  }

  private static LedgerPackage pkg(JsonNode n) {
    if (n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new VerificationException("ledger entry field 'package' must be an object or null");
    }
    exactFields(n, Set.of("id", "version"), "ledger entry package");
    return new LedgerPackage(text(n, "id"), text(n, "version"));
  }

  private static ObjectNode object(JsonNode n) {
    if (!n.isObject()) {
      throw new VerificationException("ledger entry field 'details' must be an object");
    }
    return (ObjectNode) n;
  }

  private static void exactFields(JsonNode n, Set<String> expected, String what) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!expected.contains(name)) {
        throw new VerificationException(what + " has unexpected field '" + name + "'");
      }
    }
    for (String name : expected) {
      if (!n.has(name)) {
        throw new VerificationException(what + " lacks field '" + name + "'");
      }
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (!v.isTextual()) {
      throw new VerificationException("ledger entry field '" + field + "' must be a string");
    }
    return v.textValue();
  }

  static Instant parseTs(String ts) {
    if (ts == null || !ts.endsWith("Z")) {
      throw new UsageException("ledger entry ts must be an ISO-8601 UTC time ending in Z: " + ts);
    }
    try {
      return Instants.parse(ts);
    } catch (DateTimeParseException e) {
      throw new UsageException("ledger entry ts is not an ISO-8601 UTC time: " + ts, e);
    }
  }

  static void requireText(String s, String field) {
    if (s == null || s.isBlank() || s.length() > MAX_TEXT) {
      throw new UsageException("ledger " + field + " must be non-empty text, got '" + s + "'");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new UsageException("ledger " + field + " contains a control character");
      }
    }
  }

  private static void requireHash(String h, String field) {
    if (h == null || !HASH.matcher(h).matches()) {
      throw new UsageException(
          "ledger entry " + field + " must be sha256:<64 lowercase hex>, got '" + h + "'");
    }
  }
}

package dev.agentpkg.integrity.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.Tier;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * What a package signature vouches for: the archive and manifest digests and the package's
 * identity. Signed as canonical JSON inside a DSSE envelope.
 */
public record Statement(
    String archiveSha256, String id, String manifestSha256, String tier, String version) {
  private static final List<String> KEYS =
      List.of("archive_sha256", "id", "manifest_sha256", "tier", "version");

  public Statement {
    if (!Sha256.isHex(archiveSha256)) {
      throw new UsageException(
          "statement: archive_sha256 must be 64 lowercase hex digits, got '" + archiveSha256 + "'");
    }
    if (!Sha256.isHex(manifestSha256)) {
      throw new UsageException(
          "statement: manifest_sha256 must be 64 lowercase hex digits, got '"
              + manifestSha256
              + "'");
    }
    if (!PackageId.isValid(id)) {
      throw new UsageException("statement: invalid package id '" + id + "'");
    }
    if (tier == null || !tier.equals(Tier.parse(tier).name())) {
      throw new UsageException("statement: invalid tier '" + tier + "'");
    }
    if (PackageId.of(id).tier() != Tier.valueOf(tier)) {
      throw new UsageException(
          "statement: tier " + tier + " does not match the tier in package id " + id);
    }
    if (version == null || version.isBlank()) {
      throw new UsageException("statement: version is empty");
    }
  }

  public byte[] canonicalBytes() {
    ObjectNode o = Json.object();
    o.put("archive_sha256", archiveSha256);
    o.put("id", id);
    o.put("manifest_sha256", manifestSha256);
    o.put("tier", tier);
    o.put("version", version);
    return CanonicalJson.bytes(o);
  }

  /** Parses a signed statement; anything but exactly the canonical five-field object is refused. */
  public static Statement parse(byte[] json) {
    try {
      JsonNode node = Json.parse(json, "statement");
      if (!node.isObject()) {
        throw fail("not a JSON object");
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!KEYS.contains(name)) {
          throw fail("unexpected field '" + name + "'");
        }
      }
      String[] values = new String[KEYS.size()];
      for (int i = 0; i < values.length; i++) {
        JsonNode v = node.get(KEYS.get(i));
        if (v == null) {
          throw fail("missing field '" + KEYS.get(i) + "'");
        }
        if (!v.isTextual()) {
          throw fail("field '" + KEYS.get(i) + "' must be a string");
        }
        values[i] = v.textValue();
      }
      Statement s = new Statement(values[0], values[1], values[2], values[3], values[4]);
      // Signatures cover exact bytes: one statement must have exactly one signed form.
      if (!Arrays.equals(s.canonicalBytes(), json)) {
        throw fail("not in canonical JSON form");
      }
      return s;
    } catch (VerificationException e) {
      throw e;
    } catch (AgentpkgException e) {
      throw new VerificationException("signed statement is invalid: " + e.getMessage(), e);
    }
  }

  private static VerificationException fail(String why) {
    return new VerificationException("signed statement is invalid: " + why);
  }
}

package dev.agentpkg.integrity.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A DSSE envelope (https://github.com/secure-systems-lab/dsse): a payload plus Ed25519 signatures
 * over {@code PAE(payloadType, payload)}. Immutable.
 */
public final class DsseEnvelope {
  public static final String PAYLOAD_TYPE = "application/vnd.agentpkg.statement+json";
  // Bounds the work an untrusted .sig file can cause; real envelopes carry one or two.
  static final int MAX_SIGNATURES = 32;

  /** One signature: the signer's key id (hex SHA-256 of the raw public key) and 64 bytes. */
  public record Signature(String keyId, byte[] sig) {
    public Signature {
      if (!Sha256.isHex(keyId)) {
        throw new UsageException("signature keyid must be 64 lowercase hex digits: " + keyId);
      }
      sig = sig.clone();
    }

    @Override
    public byte[] sig() {
      return sig.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Signature s && keyId.equals(s.keyId) && Arrays.equals(sig, s.sig);
    }

    @Override
    public int hashCode() {
      return keyId.hashCode() * 31 + Arrays.hashCode(sig);
    }

    @Override
    public String toString() {
      return "Signature[keyid=" + keyId + "]";
    }
  }

  private final String payloadType;
  private final byte[] payload;
  private final List<Signature> signatures;

  private DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {
    this.payloadType = payloadType;
    this.payload = payload;
    this.signatures = List.copyOf(signatures);
  }

  /**
   * DSSE pre-authentication encoding: {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}.
   */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + payload.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  public static DsseEnvelope sign(byte[] payload, Ed25519PrivateKey key) {
    return new DsseEnvelope(PAYLOAD_TYPE, payload.clone(), List.of()).withSignature(key);
  }

  /** A copy with {@code key}'s signature added, replacing any earlier one by the same key id. */
  public DsseEnvelope withSignature(Ed25519PrivateKey key) {
    String keyId = key.publicKey().keyId();
    List<Signature> next = new ArrayList<>(signatures.size() + 1);
    for (Signature s : signatures) {
      if (!s.keyId().equals(keyId)) {
        next.add(s);
      }
    }
    next.add(new Signature(keyId, key.sign(pae(payloadType, payload))));
    return new DsseEnvelope(payloadType, payload, next);
  }

  public String payloadType() {
    return payloadType;
  }

  public byte[] payload() {
    return payload.clone();
  }

  public List<Signature> signatures() {
    return signatures;
  }

  /** Canonical JSON with a trailing newline, as written to {@code <archive>.sig}. */
  public byte[] toJsonBytes() {
    ObjectNode o = Json.object();
    o.put("payloadType", payloadType);
    o.put("payload", Base64.getEncoder().encodeToString(payload));
    ArrayNode sigs = o.putArray("signatures");
    for (Signature s : signatures) {
      ObjectNode so = sigs.addObject();
      so.put("keyid", s.keyId());
      so.put("sig", Base64.getEncoder().encodeToString(s.sig));
    }
    byte[] json = CanonicalJson.bytes(o);
    byte[] withNewline = Arrays.copyOf(json, json.length + 1);
    withNewline[json.length] = '\n';
    return withNewline;
  }

  /** Parses an envelope; errors read {@code signature file: <why>}. */
  public static DsseEnvelope parse(byte[] json) {
    return parse(json, null);
  }

  /** Parses an envelope; {@code source} (e.g. the file name) goes into error messages. */
  public static DsseEnvelope parse(byte[] json, String source) {
    String what = source == null ? "signature file" : "signature file " + source;
    JsonNode node;
    try {
      node = Json.parse(json, what);
    } catch (UsageException e) {
      throw new VerificationException(e.getMessage() + " (truncated or not a DSSE envelope?)", e);
    }
    if (!node.isObject()) {
      throw new VerificationException(what + ": not a JSON object");
    }
    String type = text(node, "payloadType", what);
    if (!PAYLOAD_TYPE.equals(type)) {
      throw new VerificationException(
          what + ": unexpected payloadType '" + type + "', expected '" + PAYLOAD_TYPE + "'");
    }
    byte[] payload = base64(text(node, "payload", what), what + ": payload");
    JsonNode sigs = node.get("signatures");
    if (sigs == null || !sigs.isArray()) {
      throw new VerificationException(what + ": missing 'signatures' array");
    }
    if (sigs.isEmpty()) {
      throw new VerificationException(what + ": no signatures");
    }
    if (sigs.size() > MAX_SIGNATURES) {
      throw new VerificationException(
          what + ": too many signatures (" + sigs.size() + ", at most " + MAX_SIGNATURES + ")");
    }
    List<Signature> list = new ArrayList<>(sigs.size());
    for (int i = 0; i < sigs.size(); i++) {
      JsonNode s = sigs.get(i);
      String where = what + ": signatures[" + i + "]";
      if (!s.isObject()) {
        throw new VerificationException(where + " is not an object");
      }
      String keyId = text(s, "keyid", where);
      if (!Sha256.isHex(keyId)) {
        throw new VerificationException(
            where + ": keyid must be 64 lowercase hex digits, got '" + keyId + "'");
      }
      list.add(new Signature(keyId, base64(text(s, "sig", where), where + ".sig")));
    }
    return new DsseEnvelope(type, payload, list);
  }

  /**
   * Key ids whose signature verifies over {@code PAE(payloadType, payload)}, in envelope order
   * without duplicates. Keys the lookup does not know are skipped, and so is a signature whose
   * keyid differs from the id of the key it resolved to.
   */
  public List<String> verifiedKeyIds(Function<String, Optional<Ed25519PublicKey>> lookup) {
    byte[] pae = pae(payloadType, payload);
    Set<String> verified = new LinkedHashSet<>();
    for (Signature s : signatures) {
      if (verified.contains(s.keyId())) {
        continue;
      }
      Optional<Ed25519PublicKey> key = lookup.apply(s.keyId());
      if (key == null || key.isEmpty()) {
        continue;
      }
      Ed25519PublicKey k = key.get();
      if (k.keyId().equals(s.keyId()) && k.verify(pae, s.sig)) {
        verified.add(s.keyId());
      }
    }
    return List.copyOf(verified);
  }

  private static String text(JsonNode node, String field, String what) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new VerificationException(what + ": missing field '" + field + "'");
    }
    if (!v.isTextual()) {
      throw new VerificationException(what + ": field '" + field + "' must be a string");
    }
    return v.textValue();
  }

  private static byte[] base64(String text, String what) {
    try {
      // DSSE allows either base64 alphabet on input; output is always standard.
      boolean url = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
      return (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(what + " is not valid base64: " + e.getMessage(), e);
    }
  }
}

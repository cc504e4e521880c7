package dev.agentpkg.integrity.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DsseEnvelopeTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate(RANDOM);
  private static final Ed25519PrivateKey OTHER = Ed25519PrivateKey.generate(RANDOM);
  private static final byte[] PAYLOAD = StatementTest.STATEMENT.canonicalBytes();

  private static Function<String, Optional<Ed25519PublicKey>> trusting(Ed25519PrivateKey... keys) {
    return id ->
        Arrays.stream(keys)
            .map(Ed25519PrivateKey::publicKey)
            .filter(k -> k.keyId().equals(id))
            .findFirst();
  }

  @Test
  void paeMatchesDsseSpecTestVector() {
    byte[] pae =
        DsseEnvelope.pae(
            "http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(pae, StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @Test
  void paeCountsBytesNotCharacters() {
    byte[] pae = DsseEnvelope.pae("t", "é".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 1 t 2 é");
  }

  @Test
  void signSerialiseParseVerify() {
    DsseEnvelope env = DsseEnvelope.sign(PAYLOAD, KEY);
    byte[] json = env.toJsonBytes();

    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(text)
        .startsWith(
            "{\"payload\":\""
                + Base64.getEncoder().encodeToString(PAYLOAD)
                + "\",\"payloadType\":\"application/vnd.agentpkg.statement+json\",\"signatures\":[{\"keyid\":\""
                + KEY.publicKey().keyId()
                + "\",\"sig\":\"")
        .endsWith("\"}]}\n");

    DsseEnvelope back = DsseEnvelope.parse(json);
    assertThat(back.payloadType()).isEqualTo(DsseEnvelope.PAYLOAD_TYPE);
    assertThat(back.payload()).isEqualTo(PAYLOAD);
    assertThat(back.signatures()).isEqualTo(env.signatures());
    assertThat(back.verifiedKeyIds(trusting(KEY))).containsExactly(KEY.publicKey().keyId());
    assertThat(Statement.parse(back.payload())).isEqualTo(StatementTest.STATEMENT);
    assertThat(back.toJsonBytes()).isEqualTo(json);
  }

  @Test
  void signatureIsEd25519OverPae() {
    DsseEnvelope env = DsseEnvelope.sign(PAYLOAD, KEY);
    byte[] pae = DsseEnvelope.pae(DsseEnvelope.PAYLOAD_TYPE, PAYLOAD);
    assertThat(KEY.publicKey().verify(pae, env.signatures().get(0).sig())).isTrue();
    assertThat(KEY.publicKey().verify(PAYLOAD, env.signatures().get(0).sig())).isFalse();
  }

  @Test
  void unknownKeysAreSkipped() {
    DsseEnvelope env = DsseEnvelope.sign(PAYLOAD, KEY);
    assertThat(env.verifiedKeyIds(trusting(OTHER))).isEmpty();
    assertThat(env.verifiedKeyIds(id -> Optional.empty())).isEmpty();
  }

  @Test
  void withSignatureAddsAndReplaces() {
    DsseEnvelope two = DsseEnvelope.sign(PAYLOAD, KEY).withSignature(OTHER);
    assertThat(two.signatures()).hasSize(2);
    assertThat(two.verifiedKeyIds(trusting(KEY, OTHER)))
        .containsExactly(KEY.publicKey().keyId(), OTHER.publicKey().keyId());
    assertThat(two.verifiedKeyIds(trusting(OTHER))).containsExactly(OTHER.publicKey().keyId());

    DsseEnvelope again = two.withSignature(KEY);
    assertThat(again.signatures()).hasSize(2);
    assertThat(again.signatures().stream().map(DsseEnvelope.Signature::keyId))
        .containsExactly(OTHER.publicKey().keyId(), KEY.publicKey().keyId());
  }

  @Test
  void flippedPayloadByteIsNotVerified() {
    ObjectNode o = envelopeJson(DsseEnvelope.sign(PAYLOAD, KEY));
    byte[] tampered = PAYLOAD.clone();
    tampered[5] ^= 1;
    o.put("payload", Base64.getEncoder().encodeToString(tampered));

    DsseEnvelope env = DsseEnvelope.parse(CanonicalJson.bytes(o));
    assertThat(env.verifiedKeyIds(trusting(KEY))).isEmpty();
  }

  @Test
  void flippedSignatureByteIsNotVerified() {
    ObjectNode o = envelopeJson(DsseEnvelope.sign(PAYLOAD, KEY));
    ObjectNode sig = (ObjectNode) o.get("signatures").get(0);
    byte[] bytes = Base64.getDecoder().decode(sig.get("sig").textValue());
    bytes[0] ^= 1;
    sig.put("sig", Base64.getEncoder().encodeToString(bytes));

    DsseEnvelope env = DsseEnvelope.parse(CanonicalJson.bytes(o));
    assertThat(env.verifiedKeyIds(trusting(KEY))).isEmpty();
  }

  @Test
  void signatureRelabelledWithAnotherKeyIdIsIgnored() {
    // OTHER signs, but the signature claims to be KEY's; the lookup resolves KEY's id to OTHER.
    DsseEnvelope byOther = DsseEnvelope.sign(PAYLOAD, OTHER);
    ObjectNode o = envelopeJson(byOther);
    ((ObjectNode) o.get("signatures").get(0)).put("keyid", KEY.publicKey().keyId());
    DsseEnvelope relabelled = DsseEnvelope.parse(CanonicalJson.bytes(o));

    Map<String, Ed25519PublicKey> confused = Map.of(KEY.publicKey().keyId(), OTHER.publicKey());
    assertThat(relabelled.verifiedKeyIds(id -> Optional.ofNullable(confused.get(id)))).isEmpty();
    assertThat(relabelled.verifiedKeyIds(trusting(KEY, OTHER))).isEmpty();
  }

  @Test
  void acceptsUrlSafeBase64AndMissingPadding() {
    DsseEnvelope env = DsseEnvelope.sign(PAYLOAD, KEY);
    ObjectNode o = envelopeJson(env);
    o.put("payload", Base64.getUrlEncoder().withoutPadding().encodeToString(PAYLOAD));
    assertThat(DsseEnvelope.parse(CanonicalJson.bytes(o)).verifiedKeyIds(trusting(KEY)))
        .containsExactly(KEY.publicKey().keyId());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "{",
        "null",
        "[]",
        "\"text\"",
        "{}",
        "{\"payloadType\":\"application/vnd.agentpkg.statement+json\",\"signatures\":[{\"keyid\":\"KID\",\"sig\":\"AAAA\"}]}",
        "{\"payload\":\"e30=\",\"payloadType\":\"text/plain\",\"signatures\":[{\"keyid\":\"KID\",\"sig\":\"AAAA\"}]}",
        "{\"payload\":\"!!!\",\"payloadType\":\"application/vnd.agentpkg.statement+json\",\"signatures\":[{\"keyid\":\"KID\",\"sig\":\"AAAA\"}]}",
        "{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.agentpkg.statement+json\",\"signatures\":[]}",
        "{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.agentpkg.statement+json\"}",
        "{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.agentpkg.statement+json\",\"signatures\":[{\"sig\":\"AAAA\"}]}",
        "{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.agentpkg.statement+json\",\"signatures\":[{\"keyid\":\"nothex\",\"sig\":\"AAAA\"}]}",
        "{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.agentpkg.statement+json\",\"signatures\":[{\"keyid\":\"KID\",\"sig\":\"%%\"}]}",
        "{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.agentpkg.statement+json\",\"signatures\":[{\"keyid\":\"KID\",\"sig\":5}]}",
        "{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.agentpkg.statement+json\",\"signatures\":[\"x\"]}",
        "{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.agentpkg.statement+json\",\"signatures\":[{\"keyid\":\"KID\",\"sig\":\"AAAA\"}]} trailing"
      })
  void malformedEnvelopesAreRefused(String json) {
    byte[] bytes = json.replace("KID", "c".repeat(64)).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> DsseEnvelope.parse(bytes))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("signature file");
  }

  @Test
  void truncatedEnvelopeIsRefusedNamingTheSource() {
    byte[] json = DsseEnvelope.sign(PAYLOAD, KEY).toJsonBytes();
    for (int len : new int[] {0, 1, json.length / 3, json.length / 2, json.length - 3}) {
      byte[] cut = Arrays.copyOf(json, len);
      assertThatThrownBy(() -> DsseEnvelope.parse(cut, "pkg.tar.gz.sig"))
          .isInstanceOf(VerificationException.class)
          .hasMessageStartingWith("signature file pkg.tar.gz.sig: ");
    }
  }

  @Test
  void randomGarbageIsRefused() {
    byte[] garbage = new byte[300];
    RANDOM.nextBytes(garbage);
    assertThatThrownBy(() -> DsseEnvelope.parse(garbage)).isInstanceOf(VerificationException.class);
  }

  @Test
  void signatureBytesAreDefensivelyCopied() {
    DsseEnvelope env = DsseEnvelope.sign(PAYLOAD, KEY);
    env.signatures().get(0).sig()[0] ^= 1;
    env.payload()[0] ^= 1;
    assertThat(env.verifiedKeyIds(trusting(KEY))).hasSize(1);
  }

  private static ObjectNode envelopeJson(DsseEnvelope env) {
    return (ObjectNode) Json.parse(env.toJsonBytes(), "test");
  }
}

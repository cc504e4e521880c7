package dev.agentpkg.integrity.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.digest.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Ed25519KeyTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  // RFC 8032 section 7.1, TEST 1 (empty message).
  static final String RFC_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  static final String RFC_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  static final String RFC_SIG =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  static String pkcs8Pem(String algPrefixHex, String seedHex) {
    byte[] der = Sha256.fromHex(algPrefixHex + seedHex);
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getEncoder().encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }

  static final String ED25519_PKCS8_PREFIX = "302e020100300506032b657004220420";
  static final String X25519_PKCS8_PREFIX = "302e020100300506032b656e04220420";

  @Test
  void signAndVerifyRoundTrip() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    byte[] msg = "hello agentpkg".getBytes(StandardCharsets.UTF_8);
    byte[] sig = key.sign(msg);

    assertThat(sig).hasSize(64);
    assertThat(key.publicKey().verify(msg, sig)).isTrue();
  }

  @Test
  void flippedMessageOrSignatureByteIsNotVerified() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    byte[] msg = "payload".getBytes(StandardCharsets.UTF_8);
    byte[] sig = key.sign(msg);

    byte[] badMsg = msg.clone();
    badMsg[0] ^= 1;
    byte[] badSig = sig.clone();
    badSig[10] ^= 1;

    assertThat(key.publicKey().verify(badMsg, sig)).isFalse();
    assertThat(key.publicKey().verify(msg, badSig)).isFalse();
    assertThat(Ed25519PrivateKey.generate(RANDOM).publicKey().verify(msg, sig)).isFalse();
  }

  @Test
  void malformedSignatureIsFalseNotAnException() {
    Ed25519PublicKey pub = Ed25519PrivateKey.generate(RANDOM).publicKey();
    byte[] msg = {1, 2, 3};

    assertThat(pub.verify(msg, new byte[0])).isFalse();
    assertThat(pub.verify(msg, new byte[63])).isFalse();
    assertThat(pub.verify(msg, new byte[65])).isFalse();
    assertThat(pub.verify(msg, new byte[64])).isFalse();
    assertThat(pub.verify(msg, null)).isFalse();
    assertThat(pub.verify(null, new byte[64])).isFalse();
  }

  @Test
  void matchesRfc8032TestVector() {
    Ed25519PrivateKey key = Ed25519PrivateKey.fromPem(pkcs8Pem(ED25519_PKCS8_PREFIX, RFC_SEED));

    assertThat(Sha256.toHex(key.publicKey().raw())).isEqualTo(RFC_PUBLIC);
    assertThat(Sha256.toHex(key.sign(new byte[0]))).isEqualTo(RFC_SIG);
    assertThat(key.publicKey().verify(new byte[0], Sha256.fromHex(RFC_SIG))).isTrue();
  }

  @Test
  void keyIdIsHexSha256OfRawPublicKey() {
    Ed25519PublicKey pub = Ed25519PublicKey.fromRaw(Sha256.fromHex(RFC_PUBLIC));

    assertThat(pub.keyId())
        .isEqualTo(Sha256.hex(Sha256.fromHex(RFC_PUBLIC)))
        .matches("[0-9a-f]{64}");
  }

  @Test
  void publicPemRoundTrip() {
    Ed25519PublicKey pub = Ed25519PrivateKey.generate(RANDOM).publicKey();
    String pem = pub.toPem();

    assertThat(pem)
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
    Ed25519PublicKey back = Ed25519PublicKey.fromPem(pem);
    assertThat(back).isEqualTo(pub).hasSameHashCodeAs(pub);
    assertThat(back.raw()).isEqualTo(pub.raw());
  }

  @Test
  void privatePemRoundTripKeepsTheKey() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String pem = key.toPem();

    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n");
    Ed25519PrivateKey back = Ed25519PrivateKey.fromPem(pem);
    byte[] msg = {42};
    assertThat(back.publicKey()).isEqualTo(key.publicKey());
    // Ed25519 is deterministic: the same key gives the same signature.
    assertThat(back.sign(msg)).isEqualTo(key.sign(msg));
    assertThat(back.toPem()).isEqualTo(pem);
  }

  @Test
  void rawIsACopy() {
    Ed25519PublicKey pub = Ed25519PrivateKey.generate(RANDOM).publicKey();
    byte[] raw = pub.raw();
    raw[0] ^= 1;
    assertThat(pub.raw()).isNotEqualTo(raw);
  }

  @Test
  void toStringRevealsNoKeyMaterial() {
    Ed25519PrivateKey key = Ed25519PrivateKey.fromPem(pkcs8Pem(ED25519_PKCS8_PREFIX, RFC_SEED));
    String body = key.toPem().split("\n")[1];

    assertThat(key.toString())
        .doesNotContain(RFC_SEED)
        .doesNotContain(RFC_SEED.toUpperCase(java.util.Locale.ROOT))
        .doesNotContain(body)
        .doesNotContain(body.substring(16, 40))
        .doesNotContain(
            Base64.getEncoder().encodeToString(Sha256.fromHex(RFC_SEED)).substring(0, 20))
        .contains(key.publicKey().keyId());
  }

  @Test
  void fromRawRejectsWrongLength() {
    assertThatThrownBy(() -> Ed25519PublicKey.fromRaw(new byte[31]))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> Ed25519PublicKey.fromRaw(null)).isInstanceOf(UsageException.class);
  }

  @Test
  void garbagePemIsRefusedWithReason() {
    assertThatThrownBy(() -> Ed25519PublicKey.fromPem("hello"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("BEGIN");
    assertThatThrownBy(() -> Ed25519PublicKey.fromPem(""))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("empty");
    String pem = Ed25519PrivateKey.generate(RANDOM).publicKey().toPem();
    assertThatThrownBy(() -> Ed25519PublicKey.fromPem(pem.substring(0, pem.length() / 2)))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("-----END PUBLIC KEY-----");
    assertThatThrownBy(
            () ->
                Ed25519PublicKey.fromPem(
                    "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("base64");
    assertThatThrownBy(
            () ->
                Ed25519PublicKey.fromPem(
                    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("SubjectPublicKeyInfo");
  }

  @Test
  void wrongKindOfPemIsNamed() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);

    assertThatThrownBy(() -> Ed25519PublicKey.fromPem(key.toPem()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("BEGIN PRIVATE KEY");
    assertThatThrownBy(() -> Ed25519PrivateKey.fromPem(key.publicKey().toPem()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("BEGIN PUBLIC KEY");
    assertThatThrownBy(
            () ->
                Ed25519PrivateKey.fromPem(
                    "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("encrypted");
  }

  @Test
  void otherAlgorithmIsRefused() {
    assertThatThrownBy(() -> Ed25519PrivateKey.fromPem(pkcs8Pem(X25519_PKCS8_PREFIX, RFC_SEED)))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("1.3.101.110")
        .hasMessageContaining("Ed25519");
  }

  @Test
  void truncatedPrivateKeyIsRefused() {
    assertThatThrownBy(
            () -> Ed25519PrivateKey.fromPem(pkcs8Pem(ED25519_PKCS8_PREFIX, RFC_SEED.substring(2))))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("not an Ed25519 private key PEM");
  }
}

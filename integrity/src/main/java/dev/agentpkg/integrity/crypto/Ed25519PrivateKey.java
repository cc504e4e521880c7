package dev.agentpkg.integrity.crypto;

import dev.agentpkg.core.UsageException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key. Stored as PKCS#8 v1 (RFC 8410), the form {@code openssl genpkey
 * -algorithm ed25519} writes, so keys move freely between agentpkg and OpenSSL.
 */
public final class Ed25519PrivateKey {
  private final Ed25519PrivateKeyParameters params;
  private final Ed25519PublicKey publicKey;

  private Ed25519PrivateKey(Ed25519PrivateKeyParameters params) {
    this.params = params;
    this.publicKey = Ed25519PublicKey.of(params.generatePublicKey());
  }

  public static Ed25519PrivateKey generate(SecureRandom random) {
    return new Ed25519PrivateKey(new Ed25519PrivateKeyParameters(random));
  }

  /** Reads a {@code -----BEGIN PRIVATE KEY-----} (unencrypted PKCS#8) PEM. */
  public static Ed25519PrivateKey fromPem(String pem) {
    Pem.Block block;
    try {
      block = Pem.decode(pem);
    } catch (UsageException e) {
      throw new UsageException("not an Ed25519 private key PEM: " + e.getMessage(), e);
    }
    if (!Pem.PRIVATE.equals(block.label())) {
      String hint =
          block.label().contains("ENCRYPTED")
              ? " (encrypted keys are not supported; decrypt it with openssl pkey)"
              : "";
      throw new UsageException(
          "not an Ed25519 private key PEM: expected '-----BEGIN PRIVATE KEY-----', found "
              + "'-----BEGIN "
              + block.label()
              + "-----'"
              + hint);
    }
    return fromPkcs8(block.der());
  }

  private static Ed25519PrivateKey fromPkcs8(byte[] der) {
    PrivateKeyInfo info;
    ASN1Encodable inner;
    try {
      info = PrivateKeyInfo.getInstance(der);
      if (info == null) {
        throw new UsageException("not an Ed25519 private key PEM: empty PKCS#8 structure");
      }
      if (!Ed25519PublicKey.ID_ED25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
        throw new UsageException(
            "not an Ed25519 private key PEM: algorithm is "
                + info.getPrivateKeyAlgorithm().getAlgorithm().getId()
                + ", expected Ed25519 (1.3.101.112)");
      }
      inner = info.parsePrivateKey();
    } catch (IOException | RuntimeException e) {
      if (e instanceof UsageException u) {
        throw u;
      }
      throw new UsageException("not an Ed25519 private key PEM: body is not DER PKCS#8", e);
    }
    // RFC 8410: the PKCS#8 privateKey OCTET STRING wraps a CurvePrivateKey OCTET STRING.
    if (!(inner instanceof ASN1OctetString octets) || octets.getOctets().length != 32) {
      throw new UsageException(
          "not an Ed25519 private key PEM: private key is not a 32-byte octet string");
    }
    Ed25519PrivateKey key =
        new Ed25519PrivateKey(new Ed25519PrivateKeyParameters(octets.getOctets()));
    if (info.hasPublicKey()) {
      byte[] embedded = info.getPublicKeyData().getOctets();
      if (!Arrays.equals(embedded, key.publicKey.raw())) {
        throw new UsageException(
            "not an Ed25519 private key PEM: embedded public key does not match the private key");
      }
    }
    return key;
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, params);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  public String toPem() {
    try {
      PrivateKeyInfo info =
          new PrivateKeyInfo(
              new AlgorithmIdentifier(Ed25519PublicKey.ID_ED25519),
              new DEROctetString(params.getEncoded()));
      return Pem.encode(Pem.PRIVATE, info.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode an Ed25519 private key", e);
    }
  }

  /** Names only the public key id: private key material must never reach logs or messages. */
  @Override
  public String toString() {
    return "Ed25519PrivateKey[keyid=" + publicKey.keyId() + "]";
  }
}

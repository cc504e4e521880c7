package dev.agentpkg.integrity.crypto;

import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.digest.Sha256;
import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 public key (RFC 8032); its id is the lowercase hex SHA-256 of the raw 32 bytes. */
public final class Ed25519PublicKey {
  static final int RAW_LENGTH = Ed25519PublicKeyParameters.KEY_SIZE;
  static final int SIGNATURE_LENGTH = 64;

  /**
   * id-Ed25519 (RFC 8410). BouncyCastle's EdECObjectIdentifiers lives in bcutil since 1.7x, which
   * is not a dependency, so the OID is spelled out here.
   */
  static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

  private final Ed25519PublicKeyParameters params;
  private final byte[] raw;
  private final String keyId;

  private Ed25519PublicKey(Ed25519PublicKeyParameters params) {
    this.params = params;
    this.raw = params.getEncoded();
    this.keyId = Sha256.hex(raw);
  }

  static Ed25519PublicKey of(Ed25519PublicKeyParameters params) {
    return new Ed25519PublicKey(params);
  }

  public static Ed25519PublicKey fromRaw(byte[] raw32) {
    if (raw32 == null || raw32.length != RAW_LENGTH) {
      throw new UsageException(
          "Ed25519 public key must be "
              + RAW_LENGTH
              + " bytes, got "
              + (raw32 == null ? "none" : raw32.length));
    }
    try {
      return new Ed25519PublicKey(new Ed25519PublicKeyParameters(raw32.clone()));
    } catch (IllegalArgumentException e) {
      // BouncyCastle refuses encodings that are not a point on the curve.
      throw new UsageException("not a valid Ed25519 public key (not a curve point)", e);
    }
  }

  /** Reads a {@code -----BEGIN PUBLIC KEY-----} (X.509 SubjectPublicKeyInfo) PEM. */
  public static Ed25519PublicKey fromPem(String pem) {
    Pem.Block block;
    try {
      block = Pem.decode(pem);
    } catch (UsageException e) {
      throw new UsageException("not an Ed25519 public key PEM: " + e.getMessage(), e);
    }
    if (!Pem.PUBLIC.equals(block.label())) {
      throw new UsageException(
          "not an Ed25519 public key PEM: expected '-----BEGIN PUBLIC KEY-----', found '-----BEGIN "
              + block.label()
              + "-----'");
    }
    return fromSubjectPublicKeyInfo(block.der());
  }

  private static Ed25519PublicKey fromSubjectPublicKeyInfo(byte[] der) {
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new UsageException(
          "not an Ed25519 public key PEM: body is not a DER SubjectPublicKeyInfo", e);
    }
    if (info == null) {
      throw new UsageException("not an Ed25519 public key PEM: empty SubjectPublicKeyInfo");
    }
    if (!Ed25519PublicKey.ID_ED25519.equals(info.getAlgorithm().getAlgorithm())) {
      throw new UsageException(
          "not an Ed25519 public key PEM: algorithm is "
              + info.getAlgorithm().getAlgorithm().getId()
              + ", expected Ed25519 (1.3.101.112)");
    }
    if (info.getPublicKeyData().getPadBits() != 0) {
      throw new UsageException("not an Ed25519 public key PEM: malformed key bit string");
    }
    byte[] raw = info.getPublicKeyData().getOctets();
    if (raw.length != RAW_LENGTH) {
      throw new UsageException(
          "not an Ed25519 public key PEM: key is " + raw.length + " bytes, expected " + RAW_LENGTH);
    }
    return fromRaw(raw);
  }

  public byte[] raw() {
    return raw.clone();
  }

  public String keyId() {
    return keyId;
  }

  public String toPem() {
    try {
      SubjectPublicKeyInfo info =
          new SubjectPublicKeyInfo(new AlgorithmIdentifier(Ed25519PublicKey.ID_ED25519), raw);
      return Pem.encode(Pem.PUBLIC, info.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode an Ed25519 public key", e);
    }
  }

  /** True only for a valid signature; any malformed input is simply not valid. */
  public boolean verify(byte[] message, byte[] signature) {
    if (message == null || signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, params);
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey[keyid=" + keyId + "]";
  }
}

package dev.agentpkg.integrity.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and signatures must interoperate with OpenSSL, as the spec promises. */
class OpenSslInteropTest {
  @TempDir Path dir;

  @BeforeAll
  static void requireOpenSsl() {
    boolean available;
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      available = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      available = false;
    }
    assumeTrue(available, "openssl is not installed");
  }

  private int openssl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void readsKeyWrittenByOpensslGenpkey() throws Exception {
    assertThat(openssl("genpkey", "-algorithm", "ed25519", "-out", "k.pem")).isZero();
    assertThat(openssl("pkey", "-in", "k.pem", "-pubout", "-out", "k.pub.pem")).isZero();

    Ed25519PrivateKey key = KeyFiles.readPrivate(dir.resolve("k.pem"));
    Ed25519PublicKey opensslPub = KeyFiles.readPublic(dir.resolve("k.pub.pem"));

    assertThat(key.publicKey()).isEqualTo(opensslPub);
    assertThat(KeyFiles.readPublic(dir.resolve("k.pem"))).isEqualTo(opensslPub);
    // Byte-identical PEMs: our encoding is the same PKCS#8 / SPKI OpenSSL writes.
    assertThat(key.toPem()).isEqualTo(Files.readString(dir.resolve("k.pem")));
    assertThat(opensslPub.toPem()).isEqualTo(Files.readString(dir.resolve("k.pub.pem")));
  }

  @Test
  void opensslReadsOurPrivateKey() throws Exception {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    Files.writeString(dir.resolve("ours.pem"), key.toPem());

    assertThat(openssl("pkey", "-in", "ours.pem", "-pubout", "-out", "ours.pub.pem")).isZero();
    assertThat(Files.readString(dir.resolve("ours.pub.pem"))).isEqualTo(key.publicKey().toPem());
  }

  @Test
  void opensslVerifiesOurDsseSignature() throws Exception {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    byte[] payload =
        "{\"archive_sha256\":\"00\",\"id\":\"PKG-T1-X-001\"}".getBytes(StandardCharsets.UTF_8);
    DsseEnvelope env = DsseEnvelope.sign(payload, key);
    byte[] pae = DsseEnvelope.pae(env.payloadType(), env.payload());
    Files.write(dir.resolve("pae.bin"), pae);
    Files.write(dir.resolve("sig.bin"), env.signatures().get(0).sig());
    Files.writeString(dir.resolve("pub.pem"), key.publicKey().toPem());

    assertThat(verify()).isZero();

    byte[] tampered = pae.clone();
    tampered[tampered.length - 1] ^= 1;
    Files.write(dir.resolve("pae.bin"), tampered);
    assertThat(verify()).isNotZero();
  }

  private int verify() throws Exception {
    return openssl(
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        "pub.pem",
        "-rawin",
        "-in",
        "pae.bin",
        "-sigfile",
        "sig.bin");
  }
}

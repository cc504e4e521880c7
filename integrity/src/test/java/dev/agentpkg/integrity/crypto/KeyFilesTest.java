package dev.agentpkg.integrity.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.UsageException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void writesPrivateKey0600AndPublicKey0644OnRealFileSystem(@TempDir Path dir) throws Exception {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    Path priv = dir.resolve("signer.pem");
    Path pub = KeyFiles.publicKeyPathFor(priv);

    KeyFiles.write(key, priv, pub);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pub)))
        .isEqualTo("rw-r--r--");
    assertThat(KeyFiles.readPrivate(priv).publicKey()).isEqualTo(key.publicKey());
    assertThat(KeyFiles.readPublic(pub)).isEqualTo(key.publicKey());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("signer.pem", "signer.pub.pem");
    }
  }

  @Test
  void refusesToOverwriteEitherFile(@TempDir Path dir) throws Exception {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    Path priv = dir.resolve("k.pem");
    Path pub = dir.resolve("k.pub.pem");
    Files.writeString(priv, "precious");

    assertThatThrownBy(() -> KeyFiles.write(key, priv, pub))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining(priv.toString());
    assertThat(Files.readString(priv)).isEqualTo("precious");
    assertThat(pub).doesNotExist();

    Files.delete(priv);
    Files.writeString(pub, "also precious");
    assertThatThrownBy(() -> KeyFiles.write(key, priv, pub))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining(pub.toString());
    assertThat(priv).doesNotExist();
    assertThat(Files.readString(pub)).isEqualTo("also precious");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void worksOnJimfsWithoutPosixAttributes() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path dir = Files.createDirectories(fs.getPath("/keys"));
      Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);

      KeyFiles.write(key, dir.resolve("a.pem"), dir.resolve("a.pub.pem"));

      assertThat(KeyFiles.readPrivate(dir.resolve("a.pem")).toPem()).isEqualTo(key.toPem());
      assertThat(KeyFiles.readPublic(dir.resolve("a.pub.pem"))).isEqualTo(key.publicKey());
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files).hasSize(2);
      }
    }
  }

  @Test
  void setsModeOnJimfsWithPosixAttributes() throws Exception {
    Configuration posix =
        Configuration.unix().toBuilder().setAttributeViews("basic", "posix").build();
    try (FileSystem fs = Jimfs.newFileSystem(posix)) {
      Path dir = Files.createDirectories(fs.getPath("/keys"));
      KeyFiles.write(
          Ed25519PrivateKey.generate(RANDOM), dir.resolve("a"), dir.resolve("a.pub.pem"));

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))))
          .isEqualTo("rw-------");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dir.resolve("a.pub.pem"))))
          .isEqualTo("rw-r--r--");
    }
  }

  @Test
  void readErrorsNameTheFile() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path missing = fs.getPath("/nope.pem");
      assertThatThrownBy(() -> KeyFiles.readPrivate(missing))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("/nope.pem");
      assertThatThrownBy(() -> KeyFiles.readPublic(missing)).isInstanceOf(NotFoundException.class);

      Path garbage = Files.writeString(fs.getPath("/garbage.pem"), "not a key");
      assertThatThrownBy(() -> KeyFiles.readPrivate(garbage))
          .isInstanceOf(UsageException.class)
          .hasMessageStartingWith("/garbage.pem: not an Ed25519 private key PEM");

      Path pub =
          Files.writeString(
              fs.getPath("/pub.pem"), Ed25519PrivateKey.generate(RANDOM).publicKey().toPem());
      assertThatThrownBy(() -> KeyFiles.readPrivate(pub))
          .isInstanceOf(UsageException.class)
          .hasMessageContaining("/pub.pem")
          .hasMessageContaining("BEGIN PUBLIC KEY");
    }
  }

  @Test
  void readPublicDerivesFromAPrivateKeyPem() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
      Path priv = Files.writeString(fs.getPath("/k.pem"), key.toPem());

      assertThat(KeyFiles.readPublic(priv)).isEqualTo(key.publicKey());
    }
  }

  @Test
  void publicKeyPathForPrivateKey() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      assertThat(KeyFiles.publicKeyPathFor(fs.getPath("/keys/signer.pem")))
          .isEqualTo(fs.getPath("/keys/signer.pub.pem"));
      assertThat(KeyFiles.publicKeyPathFor(fs.getPath("k"))).isEqualTo(fs.getPath("k.pub.pem"));
      assertThat(KeyFiles.publicKeyPathFor(fs.getPath("/a/k.key")))
          .isEqualTo(fs.getPath("/a/k.key.pub.pem"));
    }
  }
}

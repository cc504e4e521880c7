package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh root with an admin token and a trusted signing key, made through the CLI itself. */
final class Fixture {
  final Path dir;
  final Path root;
  final Agentpkg cli;
  final String adminToken;
  final Path key;
  final Path pubKey;
  final String keyId;

  Fixture(Path dir) throws IOException {
    this.dir = dir;
    this.root = dir.resolve("root");
    this.cli = new Agentpkg(dir);
    cli.env.put("AGENTPKG_ROOT", root.toString());
    adminToken = cli.json(0, "init").json().get("admin_token").asText();
    assertThat(adminToken).matches("agp_[a-z0-9]+_[A-Za-z0-9_-]{32,}");
    key = dir.resolve("signer.pem");
    pubKey = dir.resolve("signer.pub.pem");
    keyId = cli.json(0, "keys", "generate", "--out", key.toString()).json().get("key_id").asText();
    cli.json(
        0,
        "keys",
        "trust",
        pubKey.toString(),
        "--tiers",
        "G0,T0,T1,T2,T3",
        "--owner",
        "tests",
        "--token",
        adminToken);
  }

  /** Packs an example into the root's store and returns the archive path. */
  Path packExample(String example, String id) {
    cli.json(
        0,
        "pack",
        "--src",
        Agentpkg.example(example).toString(),
        "--key",
        key.toString(),
        "--token",
        adminToken);
    Path archive = root.resolve("packages_store").resolve(id + "-0.1.0.tar.gz");
    assertThat(archive).isRegularFile();
    return archive;
  }

  String createToken(String role, String... extra) {
    String[] args = new String[5 + extra.length];
    args[0] = "token";
    args[1] = "create";
    args[2] = "--role";
    args[3] = role;
    args[4] = "--token=" + adminToken;
    System.arraycopy(extra, 0, args, 5, extra.length);
    return cli.json(0, args).json().get("token").asText();
  }

  /** A small valid package source folder. */
  static Path source(Path dir, String id, String tier, String version) throws IOException {
    Files.createDirectories(dir.resolve("modules/" + id + "/lib"));
    Files.writeString(
        dir.resolve("package.json"),
        "{\"id\":\""
            + id
            + "\",\"name\":\"Test\",\"version\":\""
            + version
            + "\",\"tier\":\""
            + tier
            + "\",\"spec_id\":\"SPEC-TEST-001\",\"description\":\"test\",\"dependencies\":[]}");
    Files.writeString(dir.resolve("modules/" + id + "/lib/a.txt"), "alpha\n");
    Files.writeString(dir.resolve("modules/" + id + "/lib/b.txt"), "beta\n");
    return dir;
  }
}
